import { ProfileSchema, type Profile } from './schema';
import { parseYamlWith, validateWith, type Validated } from '../validation';

export { formatErrors, type FieldError, type Validated } from '../validation';

export const validateProfile = (data: unknown): Validated<Profile> => validateWith(ProfileSchema, data);
export const parseProfileYaml = (text: string): Validated<Profile> => parseYamlWith(ProfileSchema, text);
