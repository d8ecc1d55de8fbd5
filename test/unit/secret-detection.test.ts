import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detectSecret, FileFilter } from '../../lib/filter';

/** Fake credentials are assembled at run time so this file holds no token-shaped literal. */
const join = (...parts: string[]) => parts.join('');
const ALNUM36 = 'R8mZ2kQ7vN4xW9pL3sT6yB1cF5hJ0dG8aE2u';
const B64_60 = 'Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6kL9nP2rS5uX8aB3dE6gH9jK';

interface Case {
	rule: string;
	secret: string;
	/** Realistic code or config containing the secret on the given line. */
	text: string;
	line: number;
	/** Realistic code that mentions the same kind of credential but holds none. */
	negative: string;
}

const pem = join('-----BEGIN ', 'RSA PRIVATE KEY-----');
const aws = join('AKIA', 'Z7QX3M4RTN5PLK2W');
const awsSecret = join('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCY9a8b7c6d5e');
const ghp = join('ghp', '_', ALNUM36);
const pat = join('github', '_pat_', '11ABCDEFG0', 'aB3dE6gH9jK2mN5pQ8sT1_', B64_60.slice(0, 40));
const slack = join('xox', 'b-', '123456789012-1234567890123-', 'AbCdEfGhIjKlMnOpQrStUvWx');
const slackHook = join('https://hooks.', 'slack.com/services/', 'T0ABC1234/B0DEF5678/', 'aB3dE6gH9jK2mN5pQ8sT1vW4');
const openai = join('sk-', 'proj-', B64_60);
const anthropic = join('sk-', 'ant-api03-', B64_60, ALNUM36);
const hf = join('hf', '_', 'AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhIj');
const google = join('AI', 'za', 'SyB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3h');
const stripe = join('sk', '_live_', '51H8aB3dE6gH9jK2mN5pQ8sT1vW');
const stripeRestricted = join('rk', '_live_', '51H8aB3dE6gH9jK2mN5pQ8sT1vW');
const jwt = join(
	'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.',
	'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.',
	'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
);
const dbPassword = 'Xk92mQ7pLw3vR8tZ';
const apiKeyHex = '9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c';
const urlPassword = 'S3cr3tP4ss9';

const CASES: Case[] = [
	{
		rule: 'private-key',
		secret: 'MIIEowIBAAKCAQEA7bq9fJ1m2Xn3a8ZKcLq0RtY8uQpV5wHsD2eF4gT6hJ8kL0mN',
		text: `# deploy key\n${pem}\nMIIEowIBAAKCAQEA7bq9fJ1m2Xn3a8ZKcLq0RtY8uQpV5wHsD2eF4gT6hJ8kL0mN\n-----END`,
		line: 2,
		negative: `const isPem = (s: string) => s.startsWith('${pem}');\n`,
	},
	{
		rule: 'private-key',
		secret: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
		text: `{\n  "type": "service_account",\n  "pk": "${pem}\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n"\n}`,
		line: 3,
		negative: `throw new Error('expected ${pem} header');`,
	},
	{
		rule: 'aws-access-key-id',
		secret: aws,
		text: `[default]\naws_access_key_id = ${aws}\nregion = eu-west-1\n`,
		line: 2,
		negative: "const docsExample = 'AKIAIOSFODNN7EXAMPLE'; // from the AWS guide\nif (id.startsWith('AKIA')) {}",
	},
	{
		rule: 'aws-secret-access-key',
		secret: awsSecret,
		text: `[default]\naws_secret_access_key = ${awsSecret}\n`,
		line: 2,
		negative: 'aws_secret_access_key = os.environ["AWS_SECRET_ACCESS_KEY"]\n',
	},
	{
		rule: 'github-token',
		secret: ghp,
		text: `steps:\n  - run: gh auth login\n    env:\n      GH_TOKEN: ${ghp}\n`,
		line: 4,
		negative: "const isClassic = token.startsWith('ghp_') || token.startsWith('gho_');\n",
	},
	{
		rule: 'github-fine-grained-token',
		secret: pat,
		text: `const octokit = new Octokit({ auth: '${pat}' });`,
		line: 1,
		negative: "// fine-grained tokens start with github_pat_ and are longer\nconst PREFIX = 'github_pat_';",
	},
	{
		rule: 'slack-token',
		secret: slack,
		text: `const slack = new WebClient('${slack}');`,
		line: 1,
		negative: "if (!token.startsWith('xoxb-')) throw new Error('need a bot token (xoxb-...)');",
	},
	{
		rule: 'slack-webhook-url',
		secret: slackHook,
		text: `notify:\n  url: ${slackHook}\n`,
		line: 2,
		negative: "const url = `https://hooks.slack.com/services/${team}/${channel}/${key}`;",
	},
	{
		rule: 'openai-api-key',
		secret: openai,
		text: `from openai import OpenAI\nclient = OpenAI(api_key="${openai}")\n`,
		line: 2,
		negative: 'client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])  # sk-... from the dashboard',
	},
	{
		rule: 'anthropic-api-key',
		secret: anthropic,
		text: `const client = new Anthropic({\n\tapiKey: '${anthropic}',\n});`,
		line: 2,
		negative: "const client = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY }); // 'sk-ant-...'",
	},
	{
		rule: 'huggingface-token',
		secret: hf,
		text: `from huggingface_hub import login\nlogin("${hf}")\n`,
		line: 2,
		negative: 'from huggingface_hub import hf_hub_download\npath = hf_hub_download(repo_id, "config.json")',
	},
	{
		rule: 'google-api-key',
		secret: google,
		text: `<script src="https://maps.googleapis.com/maps/api/js?key=${google}"></script>`,
		line: 1,
		negative: "const key = config.get('googleMapsKey'); // starts with AIza",
	},
	{
		rule: 'stripe-secret-key',
		secret: stripe,
		text: `Stripe.api_key = "${stripe}"`,
		line: 1,
		negative: "const live = key.startsWith('sk_live_'); const test = 'sk_test_...';",
	},
	{
		rule: 'stripe-secret-key',
		secret: stripeRestricted,
		text: `STRIPE_RESTRICTED=${stripeRestricted}\n`,
		line: 1,
		negative: "if (key.startsWith('rk_live_')) mode = 'restricted';",
	},
	{
		rule: 'jwt',
		secret: jwt,
		text: `curl -H "Authorization: Bearer ${jwt}" https://api.example.com/me`,
		line: 1,
		negative: "const header = 'eyJhbGciOiJIUzI1NiJ9'; const parts = jwt.split('.');",
	},
	{
		rule: 'password-in-url',
		secret: urlPassword,
		text: `database:\n  url: "postgres://app:${urlPassword}@db.internal:5432/app"\n`,
		line: 2,
		negative: 'DATABASE_URL="postgres://user:password@localhost:5432/dev"\nurl = f"mysql://{user}:{pw}@{host}"',
	},
	{
		rule: 'generic-secret-assignment',
		secret: dbPassword,
		text: `DB_HOST=localhost\nDB_PASSWORD=${dbPassword}\n`,
		line: 2,
		negative: "const token = getToken();\nconst password = '';\nlet secret = process.env.SECRET;\n",
	},
	{
		rule: 'generic-secret-assignment',
		secret: apiKeyHex,
		text: `const config = {\n\turl: 'https://api.example.com',\n\tapiKey: "${apiKeyHex}",\n};`,
		line: 3,
		negative: "const config = { apiKey: '<your-api-key>', token: '${TOKEN}', password: 'changeme' };",
	},
	{
		rule: 'generic-secret-assignment',
		secret: 'hQ3xV9kP2mZ7wR4t',
		text: 'def connect():\n    password = "hQ3xV9kP2mZ7wR4t"\n    return db.connect(password=password)\n',
		line: 2,
		negative: 'password: ""\ntokenizer_name = "sentence-transformers/all-MiniLM-L6-v2"\nmax_tokens = 4096\n',
	},
];

describe('detectSecret', () => {
	for (const c of CASES) {
		it(`${c.rule}: finds it on line ${c.line}`, () => {
			assert.deepEqual(detectSecret(c.text), { rule: c.rule, line: c.line });
		});
		it(`${c.rule}: ignores code that only mentions it`, () => {
			assert.equal(detectSecret(c.negative), null);
		});
	}

	it('ignores ordinary code about tokens and passwords', () => {
		const code = [
			'export async function refresh(token: string): Promise<string> {',
			'\tconst accessToken = await this.auth.exchange(token);',
			"\tconst passwordField = document.querySelector('#password-input-field');",
			'\tconst headers = { Authorization: `Bearer ${accessToken}` };',
			"\tconst secretName = 'projects/my-project/secrets/db-password/versions/latest';",
			'\treturn accessToken;',
			'}',
		].join('\n');
		assert.equal(detectSecret(code), null);
	});

	it('ignores long literals that are not random enough to be credentials', () => {
		assert.equal(detectSecret('api_key = "00000000000000000000000000000000"'), null);
		assert.equal(detectSecret('token: "aaaaaaaaaaaa1111aaaaaaaa"'), null);
		assert.equal(detectSecret('const password = "averylongpasswordhint";'), null);
		assert.equal(detectSecret('SECRET=abababababab12121212'), null);
		assert.equal(detectSecret("const apiKey = '<api-key-0123456789abcdef>';"), null);
		assert.equal(detectSecret('token: "${{ secrets.DEPLOY_TOKEN_2024 }}"'), null);
	});

	it('reports the earliest line when several secrets are present', () => {
		const text = `a = 1\nkey = "${google}"\ntoken = "${ghp}"\n`;
		assert.deepEqual(detectSecret(text), { rule: 'google-api-key', line: 2 });
	});
});

describe('secret-content skips never reveal the secret', () => {
	const filter = new FileFilter();
	for (const c of CASES) {
		it(`${c.rule}: detail names rule and line only`, () => {
			const result = filter.checkContent('src/config.ts', Buffer.from(c.text));
			assert.deepEqual(result, {
				path: 'src/config.ts',
				reason: 'secret-content',
				detail: `rule ${c.rule} at line ${c.line}`,
			});
			const serialized = JSON.stringify(result);
			assert.equal(serialized.includes(c.secret), false);
			assert.equal(serialized.includes(c.secret.slice(-10)), false);
		});
	}
});
