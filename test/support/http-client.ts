/**
 * A browser-like HTTP client for tests: keeps cookies, sends our Origin (as the web UI does),
 * and never follows redirects on its own so tests can see them.
 */
export class HttpClient {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly defaultHeaders: Record<string, string> = {},
  ) {}

  async request(method: string, path: string, options: { json?: unknown; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { origin: this.baseUrl, ...this.defaultHeaders, ...options.headers };
    const cookieHeader = this.cookieHeader();
    if (cookieHeader) headers.cookie = cookieHeader;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      redirect: 'manual',
      ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
    });
    this.storeCookies(response.headers.getSetCookie());
    const text = await response.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, headers: response.headers, body };
  }

  get = (path: string, options?: { headers?: Record<string, string> }) => this.request('GET', path, options);
  post = (path: string, json?: unknown, options?: { headers?: Record<string, string> }) =>
    this.request('POST', path, { json: json ?? {}, ...(options?.headers ? { headers: options.headers } : {}) });

  patch = (path: string, json: unknown) => this.request('PATCH', path, { json });
  put = (path: string, json: unknown) => this.request('PUT', path, { json });
  delete = (path: string, options?: { headers?: Record<string, string> }) => this.request('DELETE', path, options);

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private storeCookies(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const separator = pair!.indexOf('=');
      const name = pair!.slice(0, separator).trim();
      const value = pair!.slice(separator + 1).trim();
      const expired = attributes.some((a) => /max-age=0\b/i.test(a.trim())) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export type HttpResponse = { status: number; headers: Headers; body: any };
