import picomatch from 'picomatch';

/** Folders holding vendored, generated or tool-owned files. */
export const EXCLUDED_FOLDERS: ReadonlySet<string> = new Set([
	'node_modules',
	'vendor',
	'third_party',
	'dist',
	'build',
	'out',
	'target',
	'.git',
	'__pycache__',
	'.venv',
	'coverage',
]);

/** Lock files: generated, large and useless for retrieval. */
export const LOCK_FILES: ReadonlySet<string> = new Set([
	'package-lock.json',
	'yarn.lock',
	'pnpm-lock.yaml',
	'Cargo.lock',
	'go.sum',
	'poetry.lock',
	'composer.lock',
	'Gemfile.lock',
	'Pipfile.lock',
]);

/** File-name globs of minified and generated code. */
export const GENERATED_FILE_GLOBS: readonly string[] = [
	'*.min.js',
	'*.min.css',
	'*.map',
	'*.pb.go',
	'*_pb2.py',
	'*.generated.*',
];

/** Extensions (lower case, with the dot) of files that are binary by nature. */
export const BINARY_EXTENSIONS: ReadonlySet<string> = new Set(
	[
		// images
		'png jpg jpeg gif bmp ico icns webp tif tiff psd heic avif',
		// fonts
		'ttf otf woff woff2 eot',
		// archives and packages
		'zip tar gz tgz bz2 xz 7z rar zst jar war ear whl egg nupkg apk ipa deb rpm dmg iso msi',
		// executables and object code
		'exe dll so dylib bin o a lib obj class pyc pyo pyd wasm dex',
		// audio and video
		'mp3 mp4 wav ogg flac aac m4a mov avi mkv webm wmv',
		// documents
		'pdf doc docx xls xlsx ppt pptx odt ods odp',
		// data and model weights
		'sqlite sqlite3 db parquet npy npz pkl pickle h5 onnx pt pth safetensors ckpt tflite',
	]
		.join(' ')
		.split(' ')
		.map((extension) => `.${extension}`),
);

const isGeneratedFileName = picomatch(GENERATED_FILE_GLOBS as string[], { dot: true });

/** Why a path is excluded by default (a short, secret-free description), or null. */
export function defaultExcludeReason(path: string): string | null {
	const segments = path.split('/');
	const name = segments[segments.length - 1];
	const folder = segments.slice(0, -1).find((segment) => EXCLUDED_FOLDERS.has(segment));
	if (folder !== undefined) return `inside ${folder}/`;
	if (LOCK_FILES.has(name)) return 'lock file';
	if (isGeneratedFileName(name)) return 'minified or generated file';
	const dot = name.lastIndexOf('.');
	const extension = dot > 0 ? name.slice(dot).toLowerCase() : '';
	if (BINARY_EXTENSIONS.has(extension)) return `binary file type ${extension}`;
	return null;
}
