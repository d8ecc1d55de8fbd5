import { existsSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';

/** Where transformers may look for a model's files: the local cache, and the hub only when allowed. */
export function hubOptions(options: { allowRemote?: boolean; cacheDir?: string }): { local_files_only: boolean; cache_dir?: string } {
	return { local_files_only: !(options.allowRemote ?? false), cache_dir: options.cacheDir };
}

function isFolder(name: string): boolean {
	return isAbsolute(name) || name.startsWith('.') || existsSync(name);
}

/** A model's folder as an absolute path, or its hub name. */
export function modelPath(name: string): string {
	return isFolder(name) ? resolve(name) : name;
}

/** A folder's name or the hub name: how /info and clients name the model. */
export function modelName(name: string): string {
	return isFolder(name) ? basename(resolve(name)) : name;
}
