import { readFileSync } from 'node:fs';

/** CPU time (user + system, in clock ticks) the process has used so far. */
function cpuTicks(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return Number(fields[11]) + Number(fields[12]);
}

/**
 * Waits until the Chroma server has finished the background indexing a bulk load leaves behind
 * (its CPU time stops growing for `quietMs`), so incremental runs are measured in steady state, as
 * a push arriving minutes after an index would be. Returns how long it waited.
 */
export async function waitForChromaToSettle(pid: number, quietMs = 500, maxMs = 60_000): Promise<number> {
	const started = Date.now();
	let last = cpuTicks(pid);
	while (Date.now() - started < maxMs) {
		await new Promise((resolve) => setTimeout(resolve, quietMs));
		const now = cpuTicks(pid);
		if (now - last <= 1) return Date.now() - started;
		last = now;
	}
	return Date.now() - started;
}
