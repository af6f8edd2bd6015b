/**
 * `nomyo-secure` for browsers (ESM and the `<script>` build, global `NomyoSecure`).
 *
 * @packageDocumentation
 */
export * from '../index.js'
