import { writeFileSync } from 'node:fs';
import { profileJsonSchema } from '../src-shared/profile/json-schema';

writeFileSync(
  new URL('../qemu-profiles/profile.schema.json', import.meta.url),
  JSON.stringify(profileJsonSchema(), null, 2) + '\n',
);
