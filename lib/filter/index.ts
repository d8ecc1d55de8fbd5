export { FileFilter, DEFAULT_MAX_FILE_BYTES, type FileFilterOptions } from './file-filter';
export { detectSecret, SECRET_RULES, type SecretRule } from './secret-rules';
export { isSecretFile, SECRET_FILE_GLOBS, SECRET_FILE_TEMPLATES } from './secret-files';
export {
	defaultExcludeReason,
	EXCLUDED_FOLDERS,
	LOCK_FILES,
	GENERATED_FILE_GLOBS,
	BINARY_EXTENSIONS,
} from './default-excludes';
export { decodeText } from './binary';
export { shannonEntropy, looksLikeSecretLiteral } from './entropy';
