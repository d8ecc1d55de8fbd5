import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { migrate } from '../../lib/store/migrate';
import { mysqlError, openPool } from '../../lib/store/mysql';
import { mysqlConfigFromCredentials } from './connections';
import { repoMindEmbeddingsWorkerConnectionTest, repoMindGitHubConnectionTest, repoMindHuggingFaceConnectionTest, repoMindOpenAiConnectionTest } from './endpoint-test';

/** "Test credential" for repoMindMySql: connects, and creates or migrates RepoMind's tables. */
export async function repoMindMySqlConnectionTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const config = mysqlConfigFromCredentials(credential.data ?? {});
	const pool = openPool({ ...config, connectionLimit: 1 });
	try {
		const version = await migrate(pool).catch((error) => {
			throw mysqlError(error, config);
		});
		return { status: 'OK', message: `Connected; RepoMind schema version ${version}` };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	} finally {
		await pool.end().catch(() => undefined);
	}
}

/** The credential tests every node offers (`methods.credentialTest`), named by `testedBy`. */
export const repoMindCredentialTests = { repoMindMySqlConnectionTest, repoMindGitHubConnectionTest, repoMindOpenAiConnectionTest, repoMindHuggingFaceConnectionTest, repoMindEmbeddingsWorkerConnectionTest };
