import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// js-yaml (through eslint) parses YAML 1.2 with merge keys, as Docker Compose does.
const { load } = require('js-yaml') as { load: (text: string) => unknown };

const ROOT = join(__dirname, '..', '..');
const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const envExample = readFileSync(join(ROOT, '.env.example'), 'utf8');

interface Service {
	image?: string;
	build?: { context: string; dockerfile: string; args?: Record<string, string> };
	command?: string | string[];
	entrypoint?: string[];
	environment?: Record<string, string>;
	volumes?: string[];
	depends_on?: Record<string, { condition: string }>;
	healthcheck?: { test: string[] };
	profiles?: string[];
	restart?: string;
	deploy?: { replicas?: string; resources?: { reservations?: { devices?: Array<{ driver: string; count: string; capabilities: string[] }> } } };
}

const compose = load(composeText) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const { services } = compose;
const N8N_PROCESSES = ['n8n', 'n8n-worker', 'n8n-setup'];

describe('docker-compose.yml', () => {
	it('has n8n main, workers and setup, Redis, Postgres, MariaDB, Chroma and the embeddings workers', () => {
		assert.deepEqual(Object.keys(services).sort(), ['chroma', 'embeddings-worker', 'embeddings-worker-cpu', 'mysql', 'n8n', 'n8n-setup', 'n8n-worker', 'postgres', 'redis']);
		assert.equal(services.n8n.command, 'start');
		assert.equal(services['n8n-worker'].command, 'worker --concurrency=${N8N_WORKER_CONCURRENCY}');
		assert.equal(services['n8n-worker'].deploy?.replicas, '${N8N_WORKER_REPLICAS}');
		assert.deepEqual(services['n8n-setup'].entrypoint, ['/usr/local/bin/repomind-setup']);
		assert.equal(services['n8n-setup'].restart, 'no');
	});

	it('runs every n8n process in queue mode on the same Redis, Postgres and encryption key', () => {
		const shared = ['DB_TYPE', 'DB_POSTGRESDB_HOST', 'DB_POSTGRESDB_DATABASE', 'DB_POSTGRESDB_USER', 'DB_POSTGRESDB_PASSWORD', 'EXECUTIONS_MODE', 'QUEUE_BULL_REDIS_HOST', 'QUEUE_BULL_REDIS_PORT', 'QUEUE_BULL_PREFIX', 'N8N_ENCRYPTION_KEY'];
		const settings = N8N_PROCESSES.map((name) => Object.fromEntries(shared.map((key) => [key, services[name].environment?.[key]])));
		assert.deepEqual(settings[0], {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: 'postgres',
			DB_POSTGRESDB_DATABASE: '${POSTGRES_DB}',
			DB_POSTGRESDB_USER: '${POSTGRES_USER}',
			DB_POSTGRESDB_PASSWORD: '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: 'redis',
			QUEUE_BULL_REDIS_PORT: '6379',
			QUEUE_BULL_PREFIX: 'repomind',
			N8N_ENCRYPTION_KEY: '${N8N_ENCRYPTION_KEY:?set N8N_ENCRYPTION_KEY in .env}',
		});
		assert.deepEqual(settings[1], settings[0]);
		assert.deepEqual(settings[2], settings[0]);
		for (const name of N8N_PROCESSES) {
			// no stack traces in error answers, and GitHub's largest deliveries (25 MB) fit the body limit
			assert.equal(services[name].environment?.NODE_ENV, 'production', name);
			assert.equal(services[name].environment?.N8N_PAYLOAD_SIZE_MAX, '25', name);
		}
		assert.equal(services['n8n-worker'].environment?.QUEUE_HEALTH_CHECK_ACTIVE, 'true');
		assert.equal(services.n8n.environment?.OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS, 'true');
	});

	it('builds every n8n service from one image with the package installed as a community package', () => {
		for (const name of N8N_PROCESSES) {
			assert.equal(services[name].image, 'repomind-n8n:${N8N_VERSION}');
			assert.deepEqual(services[name].build, { context: '.', dockerfile: 'docker/n8n/Dockerfile', args: { N8N_VERSION: '${N8N_VERSION}', REPOMIND_PACKAGE: '${REPOMIND_PACKAGE}' } });
			assert.ok(!(services[name].volumes ?? []).some((volume) => volume.includes('/home/node/.n8n')), `${name} must not mount over the installed package`);
		}
		const dockerfile = readFileSync(join(ROOT, 'docker/n8n/Dockerfile'), 'utf8');
		assert.match(dockerfile, /^FROM n8nio\/n8n:\$\{N8N_VERSION\}$/m);
		assert.match(dockerfile, /cd \/home\/node\/\.n8n\/nodes[\s\S]*npm install --omit=dev --omit=optional[^\n]*"\$\{REPOMIND_PACKAGE\}"/);
		assert.match(dockerfile, /COPY --chown=node:node docker\/n8n\/setup\.sh \/usr\/local\/bin\/repomind-setup/);
	});

	it('has a healthcheck on every long-running service, and n8n waits for healthy dependencies', () => {
		for (const [name, service] of Object.entries(services)) {
			if (name === 'n8n-setup') continue;
			assert.ok(service.healthcheck?.test.length, `${name} has no healthcheck`);
		}
		assert.deepEqual(services.n8n.depends_on, {
			'n8n-setup': { condition: 'service_completed_successfully' },
			postgres: { condition: 'service_healthy' },
			redis: { condition: 'service_healthy' },
			mysql: { condition: 'service_healthy' },
			chroma: { condition: 'service_healthy' },
		});
		assert.equal(services['n8n-worker'].depends_on?.n8n.condition, 'service_healthy');
		assert.match(services.chroma.healthcheck!.test[1], /\/api\/v2\/heartbeat/);
	});

	it('keeps state on named volumes', () => {
		assert.deepEqual(Object.keys(compose.volumes).sort(), ['chroma_data', 'models', 'mysql_data', 'postgres_data', 'redis_data']);
		const mounts = Object.values(services).flatMap((service) => service.volumes ?? []);
		assert.deepEqual(mounts.sort(), ['chroma_data:/data', 'models:/models', 'models:/models', 'mysql_data:/var/lib/mysql', 'postgres_data:/var/lib/postgresql/data', 'redis_data:/data']);
		assert.deepEqual(services.chroma.command, ['run', '--host', '0.0.0.0', '--port', '8000', '--path', '/data']);
		assert.match(String(services.redis.command), /--appendonly yes/);
	});

	it('puts the CUDA embeddings worker in the gpu profile with an NVIDIA device, the CPU one in cpu', () => {
		const gpu = services['embeddings-worker'];
		assert.deepEqual(gpu.profiles, ['gpu']);
		assert.equal(gpu.build?.dockerfile, 'embeddings-worker/Dockerfile.cuda');
		assert.deepEqual(gpu.deploy?.resources?.reservations?.devices, [{ driver: 'nvidia', count: 'all', capabilities: ['gpu'] }]);
		assert.deepEqual(services['embeddings-worker-cpu'].profiles, ['cpu']);
		assert.equal(services['embeddings-worker-cpu'].build?.dockerfile, 'embeddings-worker/Dockerfile.cpu');
		for (const service of Object.values(services)) {
			if (service.build) assert.ok(existsSync(join(ROOT, service.build.dockerfile)), service.build.dockerfile);
		}
		assert.equal(services['n8n-setup'].environment?.REPOMIND_WORKER_URL, 'http://embeddings-worker:8080');
	});

	it('gives n8n the same MySQL database and user as the MariaDB service creates', () => {
		const setup = services['n8n-setup'].environment!;
		const mysql = services.mysql.environment!;
		assert.deepEqual([setup.REPOMIND_MYSQL_HOST, setup.REPOMIND_MYSQL_DATABASE, setup.REPOMIND_MYSQL_USER, setup.REPOMIND_MYSQL_PASSWORD], ['mysql', mysql.MARIADB_DATABASE, mysql.MARIADB_USER, mysql.MARIADB_PASSWORD]);
		assert.equal(setup.REPOMIND_CHROMA_URL, 'http://chroma:8000');
	});

	it('uses exactly the variables .env.example lists, each once there', () => {
		const used = new Set([...composeText.matchAll(/(?<!\$)\$\{([A-Z0-9_]+)/g)].map((match) => match[1]));
		const listed = [...envExample.matchAll(/^([A-Z0-9_]+)=/gm)].map((match) => match[1]);
		assert.deepEqual([...listed].sort(), [...new Set(listed)].sort());
		assert.deepEqual([...used].sort(), [...listed].sort());
		const secrets = [...composeText.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((match) => match[1]);
		for (const secret of new Set(secrets)) assert.match(envExample, new RegExp(`^${secret}=$`, 'm'), `${secret} must be empty in .env.example`);
	});
});
