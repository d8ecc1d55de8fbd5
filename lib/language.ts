import { basename, extname } from 'node:path';

const BY_EXTENSION: Record<string, string> = {
	'.ts': 'typescript',
	'.mts': 'typescript',
	'.cts': 'typescript',
	'.tsx': 'tsx',
	'.js': 'javascript',
	'.mjs': 'javascript',
	'.cjs': 'javascript',
	'.jsx': 'javascript',
	'.py': 'python',
	'.pyi': 'python',
	'.go': 'go',
	'.java': 'java',
	'.rs': 'rust',
	'.md': 'markdown',
	'.markdown': 'markdown',
	'.mdx': 'markdown',
	'.c': 'c',
	'.h': 'c',
	'.cc': 'cpp',
	'.cpp': 'cpp',
	'.cxx': 'cpp',
	'.hpp': 'cpp',
	'.cs': 'csharp',
	'.rb': 'ruby',
	'.php': 'php',
	'.kt': 'kotlin',
	'.kts': 'kotlin',
	'.scala': 'scala',
	'.swift': 'swift',
	'.sh': 'shell',
	'.bash': 'shell',
	'.zsh': 'shell',
	'.json': 'json',
	'.yaml': 'yaml',
	'.yml': 'yaml',
	'.toml': 'toml',
	'.html': 'html',
	'.htm': 'html',
	'.css': 'css',
	'.scss': 'css',
	'.sql': 'sql',
	'.xml': 'xml',
	'.txt': 'text',
	'.rst': 'text',
};

const BY_NAME: Record<string, string> = {
	Dockerfile: 'dockerfile',
	Makefile: 'make',
	Rakefile: 'ruby',
	Gemfile: 'ruby',
};

/** Language of a file from its path (`text` when unknown). */
export function detectLanguage(path: string): string {
	const name = basename(path);
	return BY_NAME[name] ?? BY_EXTENSION[extname(name).toLowerCase()] ?? 'text';
}
