// Saves one profile over and over through saveProfile (the app's save path),
// each version with a different description, until killed: the fault test
// checks what the kill leaves behind. PMEM_LAB_CONFIG points at its folder.
import { saveProfile } from '../../src-main/store/profiles';

for (let i = 0; ; i++) {
  const letter = String.fromCharCode(97 + (i % 26));
  await saveProfile('rel-save', `name: rel-save\ndescription: ${letter.repeat(262144)}\nmemory: { size: 1G }\n`);
  if (i === 0) process.stdout.write('saving\n');
}
