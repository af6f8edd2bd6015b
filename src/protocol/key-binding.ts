/**
 * Key binding, this library's backward-compatible extension of the wire format (SECURITY.md,
 * "Key binding"). The reference format leaves `X-Public-Key` and `X-Payload-ID` outside the seal,
 * so a middle box can swap the answer key or replay answers. A router that advertises the
 * extension on `GET /pki/public_key` accepts packages sealed with AES-GCM additional data that
 * names the payload id and the client key, and seals its answer the same way.
 */
import { utf8Encoder } from '../crypto/utf8.js'

/** Response header of `GET /pki/public_key` by which a router advertises key binding. */
export const KEY_BINDING_HEADER = 'X-Nomyo-Key-Binding'
/** The one version there is: the header's value and the marker field's value. */
export const KEY_BINDING_VERSION = 'v1'
/** Top-level package field that marks a bound package (request and answer). */
export const KEY_BINDING_FIELD = 'key_binding'

/**
 * The AES-GCM additional data of a bound package: the ASCII bytes of
 * `nomyo-key-binding/v1 <request|response> <sha256 hex of the client SPKI DER> <payload id>`.
 * The payload id comes last, so whatever it contains, the fixed-width fields before it stay exact.
 */
export function keyBindingAad(direction: 'request' | 'response', clientSpkiSha256Hex: string, payloadId: string): Uint8Array {
  return utf8Encoder.encode(`nomyo-key-binding/${KEY_BINDING_VERSION} ${direction} ${clientSpkiSha256Hex} ${payloadId}`)
}
