/** Decodes the PNG the webview sends for *Export PNG*. Pure (node's Buffer, no vscode). */
import { isPngDataUrl } from '../webviews/panel/protocol.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The PNG bytes of a data URL; undefined unless it is base64 PNG data that starts with the PNG signature. */
export function pngFromDataUrl(dataUrl: string): Buffer | undefined {
  if (!isPngDataUrl(dataUrl)) return undefined;
  const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b) ? bytes : undefined;
}
