import type Parser = require('web-tree-sitter');
import type { SyntaxNode, TreeCursor } from 'web-tree-sitter';
import { SYNTAX } from '../chunk/syntax';
import { IMPORT_NODES, importsOf, scriptCallImport } from './imports';
import type { ModuleImport, ParsedModule, SymbolDefinition } from './types';

const FAMILY: Record<string, string> = {
	typescript: 'script',
	tsx: 'script',
	javascript: 'script',
	python: 'python',
	go: 'go',
	java: 'java',
	rust: 'rust',
};

const IDENTIFIERS = new Set([
	'identifier',
	'type_identifier',
	'property_identifier',
	'field_identifier',
	'shorthand_property_identifier',
]);

const MAX_SIGNATURE = 120;

/** Whether the repository map parses files of this language. */
export function isMappedLanguage(language: string): boolean {
	return language in FAMILY;
}

/** Imports, declarations and identifier counts of one file, from its tree-sitter syntax tree. */
export function parseModule(parser: Parser, path: string, language: string, content: string): ParsedModule {
	const family = FAMILY[language];
	const tree = parser.parse(content);
	try {
		const imports: ModuleImport[] = [];
		const references = new Map<string, number>();
		walk(tree.walk(), (cursor) => {
			const type = cursor.nodeType;
			if (IDENTIFIERS.has(type)) {
				const name = cursor.nodeText;
				references.set(name, (references.get(name) ?? 0) + 1);
				return false;
			}
			const node = isImportNode(family, type) ? cursor.currentNode : null;
			if (node && (type !== 'export_statement' || node.childForFieldName('source'))) {
				if (type !== 'mod_item' || !node.childForFieldName('body')) {
					imports.push(...importsOf(family, node));
					return false;
				}
			}
			if (family === 'script' && type === 'call_expression') {
				const call = scriptCallImport(cursor.currentNode);
				if (call) imports.push(call);
			}
			return true;
		});
		return { path, language, imports, definitions: definitionsOf(tree.rootNode, language), references };
	} finally {
		tree.delete();
	}
}

function isImportNode(family: string, type: string): boolean {
	if (IMPORT_NODES[family].has(type)) return true;
	return (family === 'script' && type === 'export_statement') || (family === 'rust' && type === 'mod_item');
}

/** Depth-first walk; `visit` returns whether to enter the node's children. */
function walk(cursor: TreeCursor, visit: (cursor: TreeCursor) => boolean): void {
	let entering = true;
	for (;;) {
		if (entering && visit(cursor) && cursor.gotoFirstChild()) continue;
		if (cursor.gotoNextSibling()) {
			entering = true;
			continue;
		}
		if (!cursor.gotoParent()) return;
		entering = false;
	}
}

function definitionsOf(root: SyntaxNode, language: string): SymbolDefinition[] {
	const spec = SYNTAX[language];
	const definitions: SymbolDefinition[] = [];
	for (const node of root.namedChildren) {
		const declaration = spec.describe(node);
		if (!declaration) continue;
		const names = declaration.name.split(', ');
		const isImpl = node.type === 'impl_item';
		if (!isImpl) for (const name of names) definitions.push(definition(node, name, null));
		for (const member of declaration.members ?? []) {
			const described = spec.describe(member);
			if (described) definitions.push(definition(member, described.name, declaration.name));
		}
	}
	return definitions;
}

function definition(node: SyntaxNode, qualified: string, parent: string | null): SymbolDefinition {
	const dot = qualified.lastIndexOf('.');
	const name = dot >= 0 ? qualified.slice(dot + 1) : qualified;
	const owner = parent ?? (dot >= 0 ? qualified.slice(0, dot) : null);
	const lines = node.text.split('\n');
	const offset = lines.findIndex((line) => !/^\s*(@|#\[|\/\/|\/\*|\*|#)/.test(line));
	const first = withoutBody(lines[Math.max(0, offset)].trim());
	const signature = first.length > MAX_SIGNATURE ? `${first.slice(0, MAX_SIGNATURE)}…` : first;
	return { name, parent: owner, line: node.startPosition.row + Math.max(0, offset) + 1, signature };
}

/** A declaration line without its opening brace, colon, semicolon or one-line body. */
function withoutBody(line: string): string {
	const brace = line.indexOf('{');
	const head = brace > 0 && line.endsWith('}') ? line.slice(0, brace) : line;
	return head.replace(/\s*[{:;]?\s*$/, '');
}
