import type { Config } from '../../config/config';

/** The endpoints of the Microsoft cloud the tenant lives in (global, US Government or China). */
export interface CloudEndpoints {
  /** Graph root without version, e.g. https://graph.microsoft.com. */
  graphRoot: string;
  /** Token authority host, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
  /**
   * Issuer host of v1.0 access tokens: sts.windows.net in the global and US Government clouds,
   * sts.chinacloudapi.cn in China (https://learn.microsoft.com/entra/identity-platform/access-tokens).
   */
  v1IssuerHost: string;
}

const trim = (url: string) => url.replace(/\/+$/, '');

export function cloudEndpoints(config: Config): CloudEndpoints {
  const authorityHost = trim(config.AZURE_AUTHORITY_HOST ?? 'https://login.microsoftonline.com');
  const china = /(chinacloudapi\.cn|microsoftonline\.cn)$/i.test(new URL(authorityHost).hostname);
  return {
    graphRoot: trim(config.GRAPH_BASE_URL ?? 'https://graph.microsoft.com'),
    authorityHost,
    v1IssuerHost: china ? 'https://sts.chinacloudapi.cn' : 'https://sts.windows.net',
  };
}
