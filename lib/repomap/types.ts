/** Types of the repository map: the import graph of a repository's modules and their symbols. */

/** An import as written in a module, before it is resolved to files. */
export interface ModuleImport {
	/** The module path as written: `./util`, `..pkg.mod`, `example.com/m/pkg`, `com.ex.Util`, `crate::a::B`. */
	specifier: string;
	/** Python `from X import a, b`: the imported names (they may be submodules). */
	names?: string[];
	/** Java `import a.b.*`, Rust `use a::*`. */
	wildcard?: boolean;
	/** Java `import static`. */
	isStatic?: boolean;
	/** Rust `mod name;` (a child module file), not a `use`. */
	childModule?: boolean;
}

/** A declaration of a module, as the outline lists it. */
export interface SymbolDefinition {
	/** The simple name other modules use, e.g. `parse`. */
	name: string;
	/** The enclosing declaration for members (`Parser` of `Parser.parse`), else null. */
	parent: string | null;
	/** 1-based line of the declaration. */
	line: number;
	/** The declaration's first line, trimmed (at most 120 characters). */
	signature: string;
}

/** What one source file declares, imports and mentions. */
export interface ParsedModule {
	path: string;
	language: string;
	imports: ModuleImport[];
	definitions: SymbolDefinition[];
	/** Identifier occurrences outside import statements, by name. */
	references: Map<string, number>;
}

/** An import link from one file to another file of the repository. */
export interface ImportEdge {
	from: string;
	to: string;
	/** The first import of `from` that resolved to `to`, as written. */
	specifier: string;
}

/** A definition with the number of times importing files mention its name. */
export interface RankedSymbol extends SymbolDefinition {
	path: string;
	references: number;
}

/** One module of the map, ranked. */
export interface RepoMapFile {
	path: string;
	language: string;
	/** PageRank over the import graph (all ranks sum to 1), rounded to 6 decimals. */
	rank: number;
	/** Files that import this one. */
	importedBy: number;
	/** Files this one imports. */
	imports: number;
	/** Declarations found in the file. */
	definitions: number;
}

export interface RepoMapOptions {
	/** Token budget of the outline (cl100k_base). Default 1024. */
	maxTokens?: number;
	/** Files drawn in the Mermaid diagram, the highest ranked. Default 30. */
	maxDiagramNodes?: number;
	/** Folder levels drawn as nested boxes; deeper folders fold into their ancestor. Default 2. */
	maxFolderDepth?: number;
	/** Symbols listed per file in the outline. Default 12. */
	maxSymbolsPerFile?: number;
	/** Files the ranking leans towards (PageRank personalization), e.g. the file being explained. */
	focusPaths?: string[];
}

/** The repository map of one commit. */
export interface RepoMap {
	repo: string;
	ref: string;
	commit: string;
	/** A Mermaid flowchart: folders as boxes, the top-ranked modules and their import links. */
	mermaid: string;
	/** Ranked outline of files and symbols for an LLM's context, within the token budget. */
	outline: string;
	/** Every module parsed, best ranked first. */
	files: RepoMapFile[];
	/** Import links between modules, sorted by `from` then `to`. */
	edges: ImportEdge[];
	/** Tokens of `outline` (cl100k_base). */
	tokens: number;
}
