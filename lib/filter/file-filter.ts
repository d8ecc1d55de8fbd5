import picomatch from 'picomatch';
import type { SkippedFile, TreeEntry } from '../types';
import { decodeText } from './binary';
import { defaultExcludeReason } from './default-excludes';
import { isSecretFile } from './secret-files';
import { detectSecret } from './secret-rules';

export interface FileFilterOptions {
	/** When any are given, a path must match one of them. */
	include?: string[];
	/** Paths matching any of these are skipped. */
	exclude?: string[];
	/** Larger files are skipped. Default 1 MiB. */
	maxFileBytes?: number;
	/** Skip vendored, generated, lock and binary files. Default true. */
	useDefaultExcludes?: boolean;
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
const SYMLINK_MODE = '120000';

type Matcher = (path: string) => boolean;

/** Decides which files of a tree are indexed: by path, mode and size first, then by content. */
export class FileFilter {
	private readonly includeMatchers: Array<{ glob: string; matches: Matcher }>;
	private readonly excludeMatchers: Array<{ glob: string; matches: Matcher }>;
	private readonly maxFileBytes: number;
	private readonly useDefaultExcludes: boolean;

	constructor(options: FileFilterOptions = {}) {
		this.includeMatchers = compileGlobs(options.include ?? []);
		this.excludeMatchers = compileGlobs(options.exclude ?? []);
		this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
		this.useDefaultExcludes = options.useDefaultExcludes ?? true;
	}

	/** Decide from path, mode and size alone (before any download); null means keep. */
	checkEntry(entry: TreeEntry): SkippedFile | null {
		const path = normalizePath(entry.path);
		const skip = (reason: SkippedFile['reason'], detail?: string): SkippedFile =>
			detail === undefined ? { path: entry.path, reason } : { path: entry.path, reason, detail };
		if (entry.mode === SYMLINK_MODE) return skip('symlink');
		if (isSecretFile(path)) return skip('secret-file', 'file name marks a credentials file');
		const excludedBy = this.excludeMatchers.find((matcher) => matcher.matches(path));
		if (excludedBy) return skip('excluded-by-glob', `matches ${excludedBy.glob}`);
		if (this.includeMatchers.length > 0 && !this.includeMatchers.some((m) => m.matches(path))) {
			return skip('not-included', 'matches no include glob');
		}
		if (this.useDefaultExcludes) {
			const reason = defaultExcludeReason(path);
			if (reason !== null) return skip('default-excluded', reason);
		}
		if (entry.size > this.maxFileBytes) {
			return skip('too-large', `${entry.size} bytes > limit ${this.maxFileBytes}`);
		}
		return null;
	}

	/** Decide from content (after download): binary, empty, secrets. Returns the text or the skip. */
	checkContent(path: string, content: Buffer): { text: string } | SkippedFile {
		if (content.length > this.maxFileBytes) {
			const detail = `${content.length} bytes > limit ${this.maxFileBytes}`;
			return { path, reason: 'too-large', detail };
		}
		const decoded = decodeText(content);
		if ('binary' in decoded) return { path, reason: 'binary', detail: decoded.binary };
		if (decoded.text.trim() === '') {
			const detail = content.length === 0 ? 'no bytes' : 'whitespace only';
			return { path, reason: 'empty', detail };
		}
		const secret = detectSecret(decoded.text);
		if (secret !== null) {
			const detail = `rule ${secret.rule} at line ${secret.line}`;
			return { path, reason: 'secret-content', detail };
		}
		return { text: decoded.text };
	}
}

function compileGlobs(globs: string[]): Array<{ glob: string; matches: Matcher }> {
	return globs.map((glob) => ({ glob, matches: picomatch(glob, { dot: true }) }));
}

function normalizePath(path: string): string {
	return path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}
