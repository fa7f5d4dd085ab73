import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

/**
 * A tenant's signing keys for token tests: a JWKS endpoint on loopback (as login.microsoftonline.com/{tenant}/
 * discovery/v2.0/keys) and `sign`, which issues RS256 tokens with that key (iat now, 10 minutes to expiry).
 */
export interface JwksServer {
  jwksUrl: string;
  sign: (payload: JWTPayload) => Promise<string>;
  close: () => Promise<void>;
}

export async function startJwksServer(): Promise<JwksServer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const server = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    jwksUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}/keys`,
    sign: (payload) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
