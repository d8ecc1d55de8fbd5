/** Bytes looked at for a NUL byte. */
const SNIFF_BYTES = 8192;
/** Share of undecodable characters above which content counts as binary. */
const MAX_INVALID_RATIO = 0.1;

export type DecodedContent = { text: string } | { binary: string };

/** Decode UTF-8 content, or say why it is binary (NUL byte, too many invalid sequences). */
export function decodeText(content: Buffer): DecodedContent {
	const head = content.subarray(0, SNIFF_BYTES);
	const nulAt = head.indexOf(0);
	if (nulAt !== -1) return { binary: `NUL byte at offset ${nulAt}` };
	const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(content);
	let invalid = 0;
	for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) invalid++;
	if (invalid > 0 && invalid / text.length > MAX_INVALID_RATIO) {
		return { binary: `${invalid} invalid UTF-8 sequences` };
	}
	return { text };
}
