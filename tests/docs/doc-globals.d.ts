/**
 * The runtime globals that the documentation's examples use, declared as narrowly as the examples
 * need them (the project has no Node, Deno or Bun type packages: `tsconfig` keeps `types: []`).
 */
declare const process: {
  env: Record<string, string | undefined>
  stdout: { write(text: string): boolean }
  exitCode?: number
}
declare const Deno: {
  env: { get(name: string): string | undefined }
  serve(
    options: { port?: number; hostname?: string },
    handler: (request: Request) => Response | Promise<Response>,
  ): { finished: Promise<void> }
  serve(handler: (request: Request) => Response | Promise<Response>): { finished: Promise<void> }
  readTextFile(path: string): Promise<string>
}
declare const Bun: {
  env: Record<string, string | undefined>
  serve(options: { port?: number; hostname?: string; fetch(request: Request): Response | Promise<Response> }): {
    port: number
    stop(): void
  }
  file(path: string): { text(): Promise<string> }
}
