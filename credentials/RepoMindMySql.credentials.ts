import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** Tested by the nodes' `repoMindMySqlConnectionTest` (MySQL is not HTTP). */
export class RepoMindMySql implements ICredentialType {
	name = 'repoMindMySql';

	displayName = 'RepoMind MySQL';

	icon = 'file:icons/mysql.svg' as const;

	documentationUrl = 'https://github.com/repomind/n8n-nodes-repomind/blob/main/docs/credentials/mysql.md';

	properties: INodeProperties[] = [
		{ displayName: 'Host', name: 'host', type: 'string', default: 'localhost' },
		{ displayName: 'Port', name: 'port', type: 'number', default: 3306 },
		{ displayName: 'User', name: 'user', type: 'string', default: 'repomind' },
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: 'repomind',
			description: 'RepoMind creates and migrates its own tables (prefixed repomind_) in this database',
		},
		{
			displayName: 'Use TLS',
			name: 'ssl',
			type: 'boolean',
			default: false,
		},
		{
			displayName: 'CA Certificate',
			name: 'caCertificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			displayOptions: { show: { ssl: [true] } },
			description: 'PEM of the CA that signed the server certificate; empty: the system CAs',
		},
	];
}
