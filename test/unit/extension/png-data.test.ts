/** Export PNG: only base64 PNG data that really is a PNG reaches the disk. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pngFromDataUrl } from '../../../extension/png-data.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('pngFromDataUrl', () => {
  it('decodes a PNG data URL', () => {
    assert.deepEqual(pngFromDataUrl(`data:image/png;base64,${PNG.toString('base64')}`), PNG);
  });

  it('refuses other types, non-base64 text and bytes without the PNG signature', () => {
    assert.equal(pngFromDataUrl(`data:image/svg+xml;base64,${PNG.toString('base64')}`), undefined);
    assert.equal(pngFromDataUrl('data:image/png;base64,<script>'), undefined);
    assert.equal(pngFromDataUrl(`data:image/png;base64,${Buffer.from('GIF89a....').toString('base64')}`), undefined);
    assert.equal(pngFromDataUrl('data:image/png;base64,'), undefined);
  });
});
