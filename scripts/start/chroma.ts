import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess, waitUntil } from './processes';

/** Starts `chroma run` with its data under `dataDir` and waits for its heartbeat. */
export async function startChromaServer(root: string, dataDir: string, port: number, onSpawn: (process: ManagedProcess) => void): Promise<ManagedProcess> {
	mkdirSync(dataDir, { recursive: true });
	const bin = join(root, 'node_modules', '.bin', 'chroma');
	const child = spawn(bin, ['run', '--path', dataDir, '--host', '127.0.0.1', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
	const chroma = new ManagedProcess('Chroma', child);
	onSpawn(chroma);
	try {
		await waitUntil(chroma, () => heartbeat(`http://127.0.0.1:${port}`), 30_000, 'heartbeat');
	} catch (error) {
		await chroma.stop();
		throw error;
	}
	return chroma;
}

/** Whether a Chroma server answers its v2 heartbeat at `url`. */
export async function heartbeat(url: string): Promise<boolean> {
	try {
		const response = await fetch(`${url.replace(/\/+$/, '')}/api/v2/heartbeat`, { signal: AbortSignal.timeout(2000) });
		await response.body?.cancel();
		return response.ok;
	} catch {
		return false;
	}
}
