import type { LookupAddress } from 'node:dns';
import { isPrivateAddress, parseWebhookUrl, resolveWebhookTarget, UnsafeWebhookTargetError } from './webhook-target';

describe(parseWebhookUrl.name, () => {
  it.each(['http://partner.example/hook', 'https://partner.example:8443/a/b?c=d'])('accepts %s', (url) => {
    expect(parseWebhookUrl(url).href).toBe(new URL(url).href);
  });

  it.each([
    ['ftp://partner.example/hook', /http or https, not ftp/],
    ['file:///etc/passwd', /http or https, not file/],
    ['gopher://partner.example/', /http or https/],
    ['javascript:alert(1)', /http or https/],
    ['not a url', /not a valid URL/],
    ['https://user:pass@partner.example/hook', /credentials/],
    ['https://user@partner.example/hook', /credentials/],
  ])('refuses %s', (url, message) => {
    expect(() => parseWebhookUrl(url)).toThrow(UnsafeWebhookTargetError);
    expect(() => parseWebhookUrl(url)).toThrow(message);
  });

  it('gives the reason on the error', () => {
    expect(() => parseWebhookUrl('ftp://x.example/')).toThrow(
      expect.objectContaining({ name: 'UnsafeWebhookTargetError', reason: expect.stringMatching(/http or https/) }),
    );
  });
});

describe(isPrivateAddress.name, () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '169.254.0.1',
    '100.64.0.1',
    '100.127.255.255',
    '224.0.0.1',
    '239.255.255.250',
    '0.0.0.0',
    '0.1.2.3',
    '255.255.255.255',
    '240.0.0.1',
    '198.18.0.1',
    '198.19.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456:789a::1',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    'ff02::1',
    'ff05::1:3',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '0:0:0:0:0:ffff:c0a8:0101',
    '::127.0.0.1', // IPv4-compatible
    '::ffff:0:127.0.0.1', // SIIT
    '64:ff9b::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::10.1.2.3',
    '2002:7f00:1::', // 6to4 of 127.0.0.1
    '2002:c0a8:101::1', // 6to4 of 192.168.1.1
    'not-an-ip',
    '',
  ])('blocks %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '169.255.0.1',
    '11.0.0.1',
    '126.255.255.255',
    '128.0.0.1',
    '192.169.0.1',
    '223.255.255.255',
    '198.20.0.1',
    '2606:2800:220:1:248:1893:25c8:1946',
    '2001:4860:4860::8888',
    '2a00:1450:4001:80b::200e',
    'fbff::1', // just below fc00::/7
    'fe7f::1', // just below fe80::/10
    '::ffff:93.184.216.34',
    '::ffff:808:808',
    '64:ff9b::8.8.8.8',
    '2002:5db8:d822::1', // 6to4 of 93.184.216.34
  ])('allows %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});

describe(resolveWebhookTarget.name, () => {
  const answering = (...addresses: string[]) => {
    const calls: string[] = [];
    const lookup = async (hostname: string): Promise<LookupAddress[]> => {
      calls.push(hostname);
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    return { calls, lookup };
  };

  it.each([
    ['http://127.1:8080/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://2130706433/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://[::1]/', '::1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['http://[fd00::1]/', 'fd00::1'],
    ['http://0.0.0.0/', '0.0.0.0'],
  ])('refuses the literal %s without a lookup', async (url, shown) => {
    const { calls, lookup } = answering('93.184.216.34');
    const refusal = resolveWebhookTarget(parseWebhookUrl(url), { allowPrivate: false, lookup });
    await expect(refusal).rejects.toBeInstanceOf(UnsafeWebhookTargetError);
    await expect(refusal).rejects.toThrow(shown);
    expect(calls).toEqual([]);
  });

  it('allows a private literal when private targets are allowed', async () => {
    const { calls, lookup } = answering();
    await expect(resolveWebhookTarget(new URL('http://[::1]:9/'), { allowPrivate: true, lookup })).resolves.toEqual({
      address: '::1',
      family: 6,
    });
    expect(calls).toEqual([]);
  });

  it('refuses localhost and *.localhost by name, before any lookup', async () => {
    await expect(resolveWebhookTarget(new URL('http://localhost:9/'), { allowPrivate: false })).rejects.toBeInstanceOf(
      UnsafeWebhookTargetError,
    );
    await expect(
      resolveWebhookTarget(new URL('http://api.localhost/'), { allowPrivate: false }),
    ).rejects.toBeInstanceOf(UnsafeWebhookTargetError);
  });

  it('resolves localhost to loopback when private targets are allowed', async () => {
    const target = await resolveWebhookTarget(new URL('http://localhost:9/'), { allowPrivate: true });
    expect(isPrivateAddress(target.address)).toBe(true);
  });

  it('returns the first address of a public host, looked up once', async () => {
    const { calls, lookup } = answering('93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946');
    await expect(
      resolveWebhookTarget(new URL('https://partner.example/hook'), { allowPrivate: false, lookup }),
    ).resolves.toEqual({
      address: '93.184.216.34',
      family: 4,
    });
    expect(calls).toEqual(['partner.example']);
  });

  it('refuses a host when any of its addresses is private', async () => {
    const { lookup } = answering('93.184.216.34', '10.0.0.5');
    await expect(
      resolveWebhookTarget(new URL('https://partner.example/'), { allowPrivate: false, lookup }),
    ).rejects.toThrow(/resolves to 10\.0\.0\.5/);
  });

  it('refuses a host that resolves to the metadata address', async () => {
    const { lookup } = answering('169.254.169.254');
    await expect(
      resolveWebhookTarget(new URL('http://metadata.example/'), { allowPrivate: false, lookup }),
    ).rejects.toBeInstanceOf(UnsafeWebhookTargetError);
  });

  it('lets a DNS failure through as it is, not as an unsafe target', async () => {
    const lookup = async (): Promise<LookupAddress[]> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const failure = resolveWebhookTarget(new URL('http://nowhere.example/'), { allowPrivate: false, lookup });
    await expect(failure).rejects.not.toBeInstanceOf(UnsafeWebhookTargetError);
    await expect(failure).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});
