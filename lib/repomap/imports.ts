import type { SyntaxNode } from 'web-tree-sitter';
import type { ModuleImport } from './types';

/** Node types that hold imports, per language; their identifiers are not references. */
export const IMPORT_NODES: Record<string, ReadonlySet<string>> = {
	script: new Set(['import_statement']),
	python: new Set(['import_statement', 'import_from_statement', 'future_import_statement']),
	go: new Set(['import_declaration', 'package_clause']),
	java: new Set(['import_declaration', 'package_declaration']),
	rust: new Set(['use_declaration']),
};

const unquote = (text: string) => text.replace(/^["'`]|["'`]$/g, '');

/** Imports of one import-like node (see IMPORT_NODES, plus script re-exports and Rust `mod x;`). */
export function importsOf(family: string, node: SyntaxNode): ModuleImport[] {
	switch (family) {
		case 'script': {
			const source = node.childForFieldName('source') ?? node.descendantsOfType('string')[0];
			return source ? [{ specifier: unquote(source.text) }] : [];
		}
		case 'python':
			return pythonImports(node);
		case 'go':
			return node.descendantsOfType('import_spec').flatMap((spec) => {
				const path = spec.childForFieldName('path');
				return path ? [{ specifier: unquote(path.text) }] : [];
			});
		case 'java':
			return javaImports(node);
		case 'rust':
			if (node.type === 'mod_item') {
				const name = node.childForFieldName('name');
				return name ? [{ specifier: name.text, childModule: true }] : [];
			}
			return rustUsePaths(node.childForFieldName('argument'), []).map((path) => ({
				specifier: path.segments.join('::'),
				...(path.wildcard ? { wildcard: true } : {}),
			}));
		default:
			return [];
	}
}

/** The module of a script `require('x')` or `import('x')` call, if it is one. */
export function scriptCallImport(node: SyntaxNode): ModuleImport | null {
	const callee = node.childForFieldName('function');
	if (!callee || !(callee.type === 'import' || (callee.type === 'identifier' && callee.text === 'require')))
		return null;
	const argument = node.childForFieldName('arguments')?.namedChildren[0];
	return argument?.type === 'string' ? { specifier: unquote(argument.text) } : null;
}

function pythonImports(node: SyntaxNode): ModuleImport[] {
	if (node.type === 'import_statement') {
		return node.namedChildren.map((child) => ({
			specifier: (child.type === 'aliased_import' ? child.childForFieldName('name') ?? child : child).text,
		}));
	}
	if (node.type !== 'import_from_statement') return [];
	const module = node.childForFieldName('module_name');
	if (!module) return [];
	const names = node.childrenForFieldName('name').map((name) =>
		(name.type === 'aliased_import' ? name.childForFieldName('name') ?? name : name).text,
	);
	return [{ specifier: module.text.replace(/\s+/g, ''), names }];
}

function javaImports(node: SyntaxNode): ModuleImport[] {
	if (node.type !== 'import_declaration') return [];
	const name = node.namedChildren.find((child) => child.type !== 'asterisk');
	if (!name) return [];
	const result: ModuleImport = { specifier: name.text.replace(/\s+/g, '') };
	if (node.namedChildren.some((child) => child.type === 'asterisk')) result.wildcard = true;
	if (node.children.some((child) => child.type === 'static')) result.isStatic = true;
	return [result];
}

interface UsePath {
	segments: string[];
	wildcard: boolean;
}

function rustSegments(node: SyntaxNode): string[] {
	if (node.type !== 'scoped_identifier') return [node.text];
	const path = node.childForFieldName('path');
	const name = node.childForFieldName('name');
	return [...(path ? rustSegments(path) : []), ...(name ? [name.text] : [])];
}

function rustUsePaths(node: SyntaxNode | null, prefix: string[]): UsePath[] {
	if (!node) return [];
	switch (node.type) {
		case 'use_as_clause':
			return rustUsePaths(node.childForFieldName('path'), prefix);
		case 'use_wildcard':
			return rustUsePaths(node.namedChildren[0] ?? null, prefix).map((path) => ({ ...path, wildcard: true }));
		case 'use_list':
			return node.namedChildren.flatMap((child) => rustUsePaths(child, prefix));
		case 'scoped_use_list': {
			const path = node.childForFieldName('path');
			const inner = [...prefix, ...(path ? rustSegments(path) : [])];
			return rustUsePaths(node.childForFieldName('list'), inner);
		}
		default: {
			const segments = [...prefix, ...rustSegments(node)];
			if (segments.length > 1 && segments[segments.length - 1] === 'self') segments.pop();
			return [{ segments, wildcard: false }];
		}
	}
}
