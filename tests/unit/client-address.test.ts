import { describe, expect, it } from 'vitest'
import type { H3Event } from 'h3'
import { addressGroup, clientAddress, inProcessClient, isTrustedPeer, passClientToRender, trustedProxies } from '../../server/utils/client-address'

describe('the address a request comes from', () => {
  it('is the connection\'s address unless a proxy is trusted', () => {
    expect(clientAddress('198.51.100.7', '1.2.3.4', false)).toBe('198.51.100.7')
    expect(clientAddress(undefined, undefined, false)).toBe('unknown')
  })

  it('behind the trusted proxy, is the last X-Forwarded-For entry, the one the proxy appended', () => {
    expect(clientAddress('10.0.0.1', '203.0.113.9', true)).toBe('203.0.113.9')
    expect(clientAddress('10.0.0.1', '1.1.1.1, 2.2.2.2,203.0.113.9', true)).toBe('203.0.113.9')
  })

  it('behind two proxies of ours (a load balancer, then nginx), is the last hop that is not one of them', () => {
    const ours = (a: string) => a.startsWith('10.')
    expect(clientAddress('10.0.0.1', '6.6.6.6, 198.51.100.7, 10.0.0.9', true, ours)).toBe('198.51.100.7')
    // every hop one of ours: the leftmost, as far back as the header goes
    expect(clientAddress('10.0.0.1', '10.9.9.9, 10.0.0.9', true, ours)).toBe('10.9.9.9')
  })

  it('falls back to the connection when the header is missing or empty', () => {
    expect(clientAddress('10.0.0.1', undefined, true)).toBe('10.0.0.1')
    expect(clientAddress('10.0.0.1', ' , ', true)).toBe('10.0.0.1')
  })
})

describe('the group an address is counted in by the per-address limits', () => {
  it('is the IPv4 address itself', () => {
    expect(addressGroup('203.0.113.9')).toBe('203.0.113.9')
    expect(addressGroup('203.0.113.9:52100')).toBe('203.0.113.9')
  })

  it('is the IPv4 address of an IPv4-mapped IPv6 address, however it is written', () => {
    expect(addressGroup('::ffff:203.0.113.9')).toBe('203.0.113.9')
    expect(addressGroup('::FFFF:203.0.113.9')).toBe('203.0.113.9')
    expect(addressGroup('::ffff:cb00:7109')).toBe('203.0.113.9')
    expect(addressGroup('0:0:0:0:0:ffff:cb00:7109')).toBe('203.0.113.9')
  })

  it('is the /64 of an IPv6 address: every address of one subscriber\'s /64 shares one budget', () => {
    const group = addressGroup('2001:db8:1:2::1')
    expect(group).toBe('2001:db8:1:2::/64')
    for (const other of ['2001:db8:1:2:ffff:ffff:ffff:fffe', '2001:0DB8:0001:0002:0:0:0:9', '[2001:db8:1:2::abcd]:443', '2001:db8:1:2::c0a8:101', '2001:db8:1:2::192.168.1.1']) {
      expect(addressGroup(other)).toBe(group)
    }
    expect(addressGroup('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64')
    expect(addressGroup('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressGroup('::1')).toBe('0:0:0:0::/64')
    expect(addressGroup('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
  })

  it('leaves what is not an address as it is', () => {
    expect(addressGroup('unknown')).toBe('unknown')
    expect(addressGroup('2001:db8:::1')).toBe('2001:db8:::1')
    expect(addressGroup('999.1.1.1')).toBe('999.1.1.1')
  })
})

describe('the proxies TRUST_PROXY names', () => {
  const trusted = (value: string | undefined, peer: string) => isTrustedPeer(peer, trustedProxies(value))

  it('are none when unset, empty or 0', () => {
    for (const value of [undefined, '', '0', ' ']) expect(trusted(value, '127.0.0.1')).toBe(false)
  })

  it('are the loopback peers for 1: a proxy on this machine', () => {
    for (const peer of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(trusted('1', peer)).toBe(true)
    for (const peer of ['10.0.0.1', '203.0.113.9', '::2']) expect(trusted('1', peer)).toBe(false)
  })

  it('are the addresses and ranges listed, and no other', () => {
    const list = '10.0.0.5, 10.1.0.0/16,fd00::/8'
    for (const peer of ['10.0.0.5', '10.1.255.254', '::ffff:10.1.0.1', 'fd12::1']) expect(trusted(list, peer)).toBe(true)
    for (const peer of ['10.0.0.6', '10.2.0.1', '127.0.0.1', 'fe80::1', 'unknown']) expect(trusted(list, peer)).toBe(false)
  })

  it('take an IPv4-mapped entry as the IPv4 range it names', () => {
    for (const peer of ['10.1.2.3', '::ffff:10.1.2.3']) expect(trusted('::ffff:10.0.0.0/104', peer)).toBe(true)
    for (const peer of ['11.0.0.1', '127.0.0.1']) expect(trusted('::ffff:10.0.0.0/104', peer)).toBe(false)
    expect(trusted('::ffff:10.0.0.5', '10.0.0.5')).toBe(true)
  })

  it('refuse an entry that would trust every address, or every IPv4 one', () => {
    for (const bad of ['0.0.0.0/0', '::/0', '::/8', '::/64', '::ffff:0.0.0.0/96', '::ffff:10.0.0.0/8']) {
      expect(() => trustedProxies(bad)).toThrow(/^TRUST_PROXY: ".+" (would trust every|is not an address)/)
    }
  })

  it('are, for 1, also a Unix socket the portal listens on (a proxy on this machine), and for a list, not', () => {
    expect(isTrustedPeer(undefined, trustedProxies('1'), true)).toBe(true)
    expect(isTrustedPeer(undefined, trustedProxies('10.0.0.5'), true)).toBe(false)
    expect(isTrustedPeer(undefined, trustedProxies('1'))).toBe(false)
  })

  it('refuse a malformed entry, naming it', () => {
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/8/1', '::/129', '10.0.0.0/-1', '300.1.1.1', '10.0.0.5, nginx', 'fe80::1%eth0']) {
      expect(() => trustedProxies(bad)).toThrow(/^TRUST_PROXY: ".+" is not an address or a CIDR range/)
    }
  })
})

describe('the client a page request hands on to its in-process requests', () => {
  const header = JSON.stringify({ ip: '203.0.113.5', https: true })
  const eventOn = (socket: object, headers: Record<string, string> = { 'x-portal-render-client': header }) =>
    ({ node: { req: { socket, headers } } }) as unknown as H3Event

  it('is read on an in-process request (a stand-in socket, no address)', () => {
    expect(inProcessClient(eventOn({ __unenv__: {}, remoteAddress: '' }))).toEqual({ ip: '203.0.113.5', https: true })
  })

  it('is never believed on a real connection, open or already closed', () => {
    expect(inProcessClient(eventOn({ remoteAddress: '198.51.100.7' }))).toBeNull()
    expect(inProcessClient(eventOn({ remoteAddress: undefined }))).toBeNull()
  })

  it('is nothing when missing or malformed', () => {
    for (const value of ['', 'not json', '{"ip":1,"https":true}', '{"ip":"1.2.3.4"}']) {
      expect(inProcessClient(eventOn({ __unenv__: {}, remoteAddress: '' }, { 'x-portal-render-client': value }))).toBeNull()
    }
    expect(inProcessClient(eventOn({ __unenv__: {}, remoteAddress: '' }, {}))).toBeNull()
  })

  it('replaces whatever the client sent under the same name', () => {
    const event = eventOn({ remoteAddress: '198.51.100.7' }, { 'x-portal-render-client': '{"ip":"6.6.6.6","https":true}' })
    passClientToRender(event, { ip: '198.51.100.7', https: false })
    expect(event.node.req.headers['x-portal-render-client']).toBe('{"ip":"198.51.100.7","https":false}')
  })
})
