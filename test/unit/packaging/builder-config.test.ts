// electron-builder.yml checked offline with electron-builder's own validator.
import { describe, expect, it } from 'vitest';
import { ELECTRON_OUT } from '../../../src-main/electron/bundle';
import { missingInputs, readBuilderConfig, validateBuilderConfig } from '../../../scripts/check-builder-config';

describe('electron-builder configuration', () => {
  it('is valid for electron-builder and packages what the build writes', async () => {
    const config = await readBuilderConfig();
    await expect(validateBuilderConfig(config)).resolves.toBeUndefined();
    expect(await missingInputs(config)).toEqual([]);
    expect(`${ELECTRON_OUT}/main.cjs`.endsWith(config.extraMetadata.main)).toBe(true);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  }, 30_000); // the first validation loads electron-builder's schema: seconds on a busy machine

  it('catches a broken configuration', async () => {
    const config = await readBuilderConfig();
    await expect(validateBuilderConfig({ ...config, linux: { ...config.linux, targets: 'AppImage' } })).rejects.toThrow(
      /configuration.linux/,
    );
    await expect(validateBuilderConfig({ ...config, electronFuses: { runAsNode: 'no' } })).rejects.toThrow(/runAsNode/);
    expect(await missingInputs({ ...config, linux: { ...config.linux, icon: 'build/nope.png' } })).toEqual([
      'build/nope.png',
    ]);
    expect(await missingInputs({ ...config, beforeBuild: './scripts/nope.cjs' })).toEqual(['./scripts/nope.cjs']);
  });
});
