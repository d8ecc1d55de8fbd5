import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

const MIN_SECRET_LENGTH = 16;

/** "Test credential" for the webhook secret: there is nothing to call, so it checks the secret is usable. */
export async function repoMindWebhookSecretTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const secret = String(credential.data?.secret ?? '');
	if (secret.length < MIN_SECRET_LENGTH) {
		return { status: 'Error', message: `The secret has ${secret.length} characters; use at least ${MIN_SECRET_LENGTH} (e.g. openssl rand -hex 32)` };
	}
	return { status: 'OK', message: 'The secret is set; GitHub must use the same one' };
}
