// The errors of a profile the validation must refuse; a profile it accepts fails the test.
import { validateProfile } from '../../../src-shared/profile/validate';

export function errorsOf(data: unknown) {
  const r = validateProfile(data);
  if (r.ok) throw new Error('expected the profile to be refused');
  return r.errors;
}
