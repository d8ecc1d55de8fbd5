import Parser = require('web-tree-sitter');

/** Languages parsed with tree-sitter, and their grammar in tree-sitter-wasms. */
const GRAMMAR_FILES: Record<string, string> = {
	typescript: 'tree-sitter-typescript.wasm',
	tsx: 'tree-sitter-tsx.wasm',
	javascript: 'tree-sitter-javascript.wasm',
	python: 'tree-sitter-python.wasm',
	go: 'tree-sitter-go.wasm',
	java: 'tree-sitter-java.wasm',
	rust: 'tree-sitter-rust.wasm',
};

let loading: Promise<Map<string, Parser>> | undefined;

/** One parser per supported language; the wasm runtime and grammars load once per process. */
export function loadParsers(): Promise<Map<string, Parser>> {
	loading ??= createParsers().catch((error: unknown) => {
		loading = undefined;
		throw error;
	});
	return loading;
}

async function createParsers(): Promise<Map<string, Parser>> {
	await Parser.init();
	const parsers = new Map<string, Parser>();
	for (const [language, file] of Object.entries(GRAMMAR_FILES)) {
		const grammar = await Parser.Language.load(require.resolve(`tree-sitter-wasms/out/${file}`));
		const parser = new Parser();
		parser.setLanguage(grammar);
		parsers.set(language, parser);
	}
	return parsers;
}
