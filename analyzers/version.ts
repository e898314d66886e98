/** The package version, for `--version`, SARIF and the server's info. */
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
