import type { SyntaxNode } from 'web-tree-sitter';

/** A node that starts a chunk unit: its name and, for classes and the like, its member nodes. */
export interface Declaration {
	name: string;
	members: SyntaxNode[] | null;
}

/** How declarations look in one language's syntax tree. */
export interface SyntaxSpec {
	/** Node types that belong to the declaration right after them (comments, decorators). */
	attached: ReadonlySet<string>;
	/** The declaration a node starts, or null for other code. */
	describe(node: SyntaxNode): Declaration | null;
}

const SCRIPT_CONTAINERS = new Set([
	'class_declaration',
	'abstract_class_declaration',
	'class',
	'interface_declaration',
	'internal_module',
	'module',
]);
const SCRIPT_LEAVES = new Set([
	'function_declaration',
	'generator_function_declaration',
	'function_signature',
	'type_alias_declaration',
	'enum_declaration',
	'method_definition',
	'method_signature',
	'abstract_method_signature',
]);
const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'class']);

function named(node: SyntaxNode, members: SyntaxNode[] | null = null): Declaration | null {
	const name = node.childForFieldName('name')?.text.replace(/^['"]|['"]$/g, '');
	return name ? { name, members } : null;
}

function bodyMembers(node: SyntaxNode): SyntaxNode[] | null {
	const body = node.childForFieldName('body');
	if (!body) return null;
	return body.namedChildren.flatMap((child) =>
		child.type === 'enum_body_declarations' ? child.namedChildren : [child],
	);
}

function describeScript(node: SyntaxNode): Declaration | null {
	if (SCRIPT_CONTAINERS.has(node.type)) return named(node, bodyMembers(node));
	if (SCRIPT_LEAVES.has(node.type)) return named(node);
	switch (node.type) {
		case 'export_statement': {
			const declaration = node.childForFieldName('declaration');
			if (declaration) return describeScript(declaration);
			const value = node.childForFieldName('value');
			if (!value || !FUNCTION_VALUES.has(value.type)) return null;
			return named(value, bodyMembers(value)) ?? { name: 'default', members: null };
		}
		case 'ambient_declaration':
		case 'expression_statement':
			return node.firstNamedChild ? describeScript(node.firstNamedChild) : null;
		case 'lexical_declaration':
		case 'variable_declaration': {
			const declarator = node.firstNamedChild;
			const value = declarator?.childForFieldName('value');
			if (!declarator || !value) return null;
			const multiline = value.startPosition.row !== value.endPosition.row;
			if (!FUNCTION_VALUES.has(value.type) && !multiline) return null;
			return named(declarator, value.type === 'class' ? bodyMembers(value) : null);
		}
		default:
			return null;
	}
}

function describePython(node: SyntaxNode): Declaration | null {
	switch (node.type) {
		case 'decorated_definition': {
			const definition = node.childForFieldName('definition');
			return definition ? describePython(definition) : null;
		}
		case 'function_definition':
			return named(node);
		case 'class_definition':
			return named(node, bodyMembers(node));
		default:
			return null;
	}
}

function describeGo(node: SyntaxNode): Declaration | null {
	switch (node.type) {
		case 'function_declaration':
			return named(node);
		case 'method_declaration': {
			const receiver = node.childForFieldName('receiver')?.descendantsOfType('type_identifier')[0];
			const method = named(node);
			if (!method || !receiver) return method;
			return { name: `${receiver.text}.${method.name}`, members: null };
		}
		case 'type_declaration': {
			const names = node.namedChildren.map((spec) => named(spec)?.name).filter(Boolean);
			return names.length > 0 ? { name: names.join(', '), members: null } : null;
		}
		default:
			return null;
	}
}

const JAVA_CONTAINERS = new Set([
	'class_declaration',
	'interface_declaration',
	'enum_declaration',
	'record_declaration',
	'annotation_type_declaration',
]);
const JAVA_LEAVES = new Set([
	'method_declaration',
	'constructor_declaration',
	'compact_constructor_declaration',
	'annotation_type_element_declaration',
]);

function describeJava(node: SyntaxNode): Declaration | null {
	if (JAVA_CONTAINERS.has(node.type)) return named(node, bodyMembers(node));
	return JAVA_LEAVES.has(node.type) ? named(node) : null;
}

const RUST_LEAVES = new Set([
	'function_item',
	'function_signature_item',
	'struct_item',
	'enum_item',
	'union_item',
	'type_item',
	'macro_definition',
]);

function rustTypeName(node: SyntaxNode): string {
	if (node.type === 'generic_type') return rustTypeName(node.childForFieldName('type') ?? node);
	return node.childForFieldName('name')?.text ?? node.text;
}

function describeRust(node: SyntaxNode): Declaration | null {
	if (RUST_LEAVES.has(node.type)) return named(node);
	if (node.type === 'trait_item' || node.type === 'mod_item') return named(node, bodyMembers(node));
	if (node.type !== 'impl_item') return null;
	const type = node.childForFieldName('type');
	return type ? { name: rustTypeName(type), members: bodyMembers(node) } : null;
}

const SCRIPT: SyntaxSpec = {
	attached: new Set(['comment', 'decorator']),
	describe: describeScript,
};

/** Declaration rules of every language parsed with tree-sitter. */
export const SYNTAX: Record<string, SyntaxSpec> = {
	typescript: SCRIPT,
	tsx: SCRIPT,
	javascript: SCRIPT,
	python: { attached: new Set(['comment']), describe: describePython },
	go: { attached: new Set(['comment']), describe: describeGo },
	java: { attached: new Set(['line_comment', 'block_comment']), describe: describeJava },
	rust: {
		attached: new Set(['line_comment', 'block_comment', 'attribute_item']),
		describe: describeRust,
	},
};
