import { createHash } from 'node:crypto';

/**
 * The text a version is computed from: the file exactly as written, except for a leading byte-order mark
 * and CR/CRLF line ends, so a checkout on another OS names the same version. Every other change, a
 * comment or a blank line included, is a new version: the version names the exact file that was reviewed.
 */
export function canonicalRuleText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/** `<name>@<first 12 hex digits of sha256(canonical text)>`. */
export function ruleSetVersion(name: string, text: string): string {
  return `${name}@${createHash('sha256').update(canonicalRuleText(text), 'utf8').digest('hex').slice(0, 12)}`;
}
