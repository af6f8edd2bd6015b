/** Names and limits of the NOMYO secure protocol, as the reference Python client and the router use them. */

export const PACKAGE_VERSION = '1.0'
export const PACKAGE_ALGORITHM = 'hybrid-aes256-rsa4096'
export const KEY_ALGORITHM = 'RSA-OAEP-SHA256'
export const PAYLOAD_ALGORITHM = 'AES-256-GCM'

/** The reference client's default router (its code, since its "fix: default api url" commit). */
export const DEFAULT_ROUTER_URL = 'https://api.nomyo.ai:12435'

export const PUBLIC_KEY_PATH = '/pki/public_key'
export const SECURE_COMPLETION_PATH = '/v1/chat/secure_completion'

export const HEADER_PAYLOAD_ID = 'X-Payload-ID'
export const HEADER_PUBLIC_KEY = 'X-Public-Key'
export const HEADER_SECURITY_TIER = 'X-Security-Tier'

/** The router refuses larger plaintexts; checking first saves encrypting and uploading them. */
export const MAX_PLAINTEXT_BYTES = 10 * 1024 * 1024

/**
 * The largest answer body the client reads. A sealed 10 MiB plaintext grows by 4/3 in base64 plus
 * the wrapped key; anything well past that is not a package, so reading stops instead of filling memory.
 */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024

export const SECURITY_TIERS = ['standard', 'high', 'maximum'] as const
/** Routing level for a request: which inference hosts the router may use. */
export type SecurityTier = (typeof SECURITY_TIERS)[number]

/** The smallest router or client RSA modulus accepted. */
export const MIN_RSA_BITS = 2048
/** The size of keys this library generates, as the reference client does. */
export const DEFAULT_RSA_BITS = 4096

export const NONCE_BYTES = 12
export const TAG_BYTES = 16
