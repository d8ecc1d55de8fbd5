import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InvalidInputError } from '../errors';

/** `host[:port]/path` of an endpoint URL (no scheme, query or credentials). */
export function endpointName(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
	} catch {
		throw new InvalidInputError(`Not a valid endpoint URL: ${url}`);
	}
}

/** The suffix of the model id of an n8n Embeddings sub-node that strips new lines (its vectors differ from RepoMind's provider's). */
export const STRIP_NEWLINES_SUFFIX = '#strip-newlines';

const fingerprints = new Map<string, string>();

/**
 * 12 hex characters of SHA-256 over every file of a local model folder (names and bytes), so two
 * different models in folders of the same name never share an id. Hashed once per process and
 * folder state (sizes and modification times).
 */
export function folderFingerprint(folder: string): string {
	const files = listFiles(folder);
	const state = files.map((file) => `${file}:${statSync(join(folder, file)).size}:${statSync(join(folder, file)).mtimeMs}`).join('\n');
	const key = `${folder}\n${state}`;
	let fingerprint = fingerprints.get(key);
	if (!fingerprint) {
		const hash = createHash('sha256');
		for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(folder, file))).update('\0');
		fingerprint = hash.digest('hex').slice(0, 12);
		fingerprints.set(key, fingerprint);
	}
	return fingerprint;
}

function listFiles(root: string, folder = root): string[] {
	const files: string[] = [];
	for (const entry of readdirSync(folder, { withFileTypes: true })) {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) files.push(...listFiles(root, path));
		else if (entry.isFile()) files.push(relative(root, path));
	}
	return files.sort();
}
