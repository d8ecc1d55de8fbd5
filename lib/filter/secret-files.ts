import picomatch from 'picomatch';

/** File-name globs of files that hold credentials; such files are never read. */
export const SECRET_FILE_GLOBS: readonly string[] = [
	'.env',
	'.env.*',
	'*.pem',
	'*.key',
	'*.p12',
	'*.pfx',
	'*.keystore',
	'*.jks',
	'*.kdbx',
	'id_rsa',
	'id_dsa',
	'id_ecdsa',
	'id_ed25519',
	'.npmrc',
	'.pypirc',
	'.netrc',
	'.pgpass',
	'.git-credentials',
	'.htpasswd',
	'.dockercfg',
	'credentials.json',
	'service-account*.json',
	'secrets.yml',
	'secrets.yaml',
	'*.tfstate',
	'*.tfstate.backup',
];

/** Templates of secret files that hold placeholders, not secrets. */
export const SECRET_FILE_TEMPLATES: readonly string[] = [
	'.env.example',
	'.env.sample',
	'.env.template',
];

const matchesSecretName = picomatch(SECRET_FILE_GLOBS as string[], { dot: true, nocase: true });
const templates = new Set(SECRET_FILE_TEMPLATES);

/** Whether a path names a file that holds credentials (judged by its file name alone). */
export function isSecretFile(path: string): boolean {
	const name = path.slice(path.lastIndexOf('/') + 1);
	if (templates.has(name.toLowerCase())) return false;
	return matchesSecretName(name);
}
