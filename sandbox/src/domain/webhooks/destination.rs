//! Where a webhook may be delivered. Anyone holding the API key chooses the URL and reads the
//! start of the answer in the delivery log, so the sandbox must not become a way to reach
//! what only it can reach: its host's own services, the container or office network, the
//! cloud's metadata address.
//!
//! Every address is classified ([`classify`]) whatever its spelling: the `url` crate already
//! turns `http://2130706433/`, `http://0x7f.1/`, `http://0177.0.0.1/` and `http://127.1/`
//! into `127.0.0.1`, and IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible, NAT64 and 6to4 IPv6
//! addresses are judged by the IPv4 address inside. The [`Policy`] (`--webhook-hosts` and
//! the address the sandbox listens on) then allows or refuses it, twice:
//! - when an endpoint is registered or changed, for an IP literal or a `localhost` name (no
//!   other name is looked up then);
//! - when each attempt is sent: an IP literal before connecting, a name through [`Guard`],
//!   the client's resolver, which looks the name up, checks every address and hands the
//!   client only checked addresses, so a name that answers differently the second time
//!   (DNS rebinding) is judged by the address actually connected to.

use super::{WebhookHosts, WebhookSettings};
use crate::resolver::Resolver;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

/// What an address is, for deciding whether a webhook may go there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Public,
    /// `127.0.0.0/8`, `::1`.
    Loopback,
    /// RFC 1918 (`10/8`, `172.16/12`, `192.168/16`), shared (`100.64/10`), unique local
    /// (`fc00::/7`) and the old site-local (`fec0::/10`) networks.
    Private,
    /// `169.254/16` (where clouds answer their metadata), `fe80::/10`.
    LinkLocal,
    /// `0.0.0.0`, `::`: this host, on most systems.
    Unspecified,
    Multicast,
    /// `255.255.255.255`.
    Broadcast,
    /// `192.0.2/24`, `198.51.100/24`, `203.0.113/24`, `2001:db8::/32`, `3fff::/20`.
    Documentation,
    /// The rest of `0/8`, `240/4`, protocol and benchmarking ranges, unallocated IPv6.
    Reserved,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Public => "public",
            Kind::Loopback => "loopback",
            Kind::Private => "private",
            Kind::LinkLocal => "link-local",
            Kind::Unspecified => "unspecified",
            Kind::Multicast => "multicast",
            Kind::Broadcast => "broadcast",
            Kind::Documentation => "reserved for documentation",
            Kind::Reserved => "reserved",
        }
    }
}

/// What `ip` is.
pub fn classify(ip: IpAddr) -> Kind {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Kind {
    match ip.octets() {
        [0, 0, 0, 0] => Kind::Unspecified,
        [0, ..] => Kind::Reserved,
        [127, ..] => Kind::Loopback,
        [10, ..] | [172, 16..=31, ..] | [192, 168, ..] | [100, 64..=127, ..] => Kind::Private,
        [169, 254, ..] => Kind::LinkLocal,
        [192, 0, 2, _] | [198, 51, 100, _] | [203, 0, 113, _] => Kind::Documentation,
        [192, 0, 0, _] | [192, 88, 99, _] | [198, 18..=19, ..] => Kind::Reserved,
        [255, 255, 255, 255] => Kind::Broadcast,
        [224..=239, ..] => Kind::Multicast,
        [240..=255, ..] => Kind::Reserved,
        _ => Kind::Public,
    }
}

/// The IPv4 address in the last 32 bits.
fn low_v4(s: [u16; 8]) -> Ipv4Addr {
    Ipv4Addr::from((u32::from(s[6]) << 16) | u32::from(s[7]))
}

fn classify_v6(ip: Ipv6Addr) -> Kind {
    let s = ip.segments();
    if ip.is_unspecified() {
        return Kind::Unspecified;
    }
    if ip.is_loopback() {
        return Kind::Loopback;
    }
    if let Some(v4) = ip.to_ipv4_mapped() {
        // ::ffff:a.b.c.d reaches a.b.c.d.
        return classify_v4(v4);
    }
    match s {
        // IPv4-compatible ::a.b.c.d, deprecated: never a route to a public or loopback host.
        [0, 0, 0, 0, 0, 0, _, _] => match classify_v4(low_v4(s)) {
            Kind::Public | Kind::Loopback => Kind::Reserved,
            other => other,
        },
        // NAT64's well-known prefix reaches the IPv4 address inside; its local-use prefix is
        // the network's own.
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => classify_v4(low_v4(s)),
        [0x64, 0xff9b, 1, ..] => Kind::Private,
        // 6to4: 2002:AABB:CCDD::/48 is relayed to AA.BB.CC.DD.
        [0x2002, hi, lo, ..] => classify_v4(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo))),
        [0x2001, 0x0db8, ..] => Kind::Documentation,
        [0x3fff, second, ..] if second < 0x1000 => Kind::Documentation,
        // 2001::/23: protocol assignments (Teredo, benchmarking, ORCHID).
        [0x2001, second, ..] if second < 0x0200 => Kind::Reserved,
        [first, ..] if first & 0xfe00 == 0xfc00 => Kind::Private,
        [first, ..] if first & 0xffc0 == 0xfe80 => Kind::LinkLocal,
        [first, ..] if first & 0xffc0 == 0xfec0 => Kind::Private,
        [first, ..] if first & 0xff00 == 0xff00 => Kind::Multicast,
        [first, ..] if first & 0xe000 == 0x2000 => Kind::Public,
        _ => Kind::Reserved,
    }
}

/// Whether `name` is `localhost` or under it: loopback by definition (RFC 6761), answered
/// without asking any resolver.
fn is_localhost(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// What `localhost` names answer.
const LOCALHOST: [IpAddr; 2] = [
    IpAddr::V4(Ipv4Addr::LOCALHOST),
    IpAddr::V6(Ipv6Addr::LOCALHOST),
];

/// Which destinations this sandbox delivers to: `--webhook-hosts` and where it listens.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    hosts: WebhookHosts,
    listening: Option<SocketAddr>,
}

impl Policy {
    pub fn new(settings: &WebhookSettings) -> Policy {
        Policy {
            hosts: settings.hosts,
            listening: settings.listening,
        }
    }

    /// Whether only this machine can reach the sandbox (so loopback is its user's own).
    fn listens_on_loopback(&self) -> bool {
        self.listening.is_none_or(|l| l.ip().is_loopback())
    }

    /// Whether `ip:port` is the sandbox itself (where the demo shop hears its webhooks):
    /// the address it listens on, or loopback when it listens on every address.
    fn is_own(&self, ip: IpAddr, port: u16) -> bool {
        let Some(l) = self.listening else {
            return false;
        };
        let own_ip = match l.ip() {
            IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            other => other,
        };
        l.port() == port && ip == own_ip
    }

    /// Why `ip` is refused (to follow "… is"), or `None` when a webhook may go there.
    pub fn refusal(&self, ip: IpAddr) -> Option<String> {
        let kind = classify(ip);
        let hosts = self.hosts;
        let allowed = match kind {
            Kind::Public => hosts != WebhookHosts::Loopback,
            Kind::Loopback => match hosts {
                WebhookHosts::Loopback | WebhookHosts::Private => true,
                WebhookHosts::Auto => self.listens_on_loopback(),
                WebhookHosts::Public => false,
            },
            Kind::Private => hosts == WebhookHosts::Private,
            _ => false,
        };
        if allowed {
            return None;
        }
        let what = kind.describe();
        Some(match (kind, hosts) {
            (Kind::Public | Kind::Private, WebhookHosts::Loopback) => format!(
                "{what}, and this sandbox delivers to loopback only (--webhook-hosts loopback)"
            ),
            (Kind::Private, _) => {
                format!("{what} (--webhook-hosts private delivers to private networks)")
            }
            (Kind::Loopback, WebhookHosts::Public) => {
                format!("{what}, and --webhook-hosts public delivers to public addresses only")
            }
            (Kind::Loopback, _) => format!(
                "{what}, and this sandbox listens on {}, not on loopback (--webhook-hosts loopback or private delivers there)",
                self.listening.map_or_else(String::new, |l| l.to_string())
            ),
            _ => what.to_string(),
        })
    }

    /// The check when an endpoint is registered or changed: an IP literal, or a
    /// `localhost` name, that this sandbox would refuse. Other names are not looked up
    /// (they are checked at each attempt). The message is for the `url` field.
    pub fn check_url(&self, url: &str) -> Result<(), String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("Invalid URL: {e}"))?;
        let port = parsed.port_or_known_default().unwrap_or(0);
        let (shown, ip) = match parsed.host() {
            Some(url::Host::Ipv4(v4)) => (v4.to_string(), IpAddr::V4(v4)),
            Some(url::Host::Ipv6(v6)) => (v6.to_string(), IpAddr::V6(v6)),
            Some(url::Host::Domain(name)) => {
                if !is_localhost(name) {
                    return Ok(());
                }
                let name = name.trim_end_matches('.').to_ascii_lowercase();
                (name, IpAddr::V4(Ipv4Addr::LOCALHOST))
            }
            None => return Err("The URL has no host".to_string()),
        };
        if self.is_own(ip, port) {
            return Ok(());
        }
        match self.refusal(ip) {
            Some(why) => Err(format!("URL host {shown} is {why}")),
            None => Ok(()),
        }
    }

    /// Why a name is refused without being looked up: with `--webhook-hosts loopback`,
    /// only `localhost` names may be (so no name leaves the machine, not even in a DNS query).
    fn refuse_lookup(&self, name: &str) -> Option<String> {
        (self.hosts == WebhookHosts::Loopback && !is_localhost(name)).then(|| {
            format!(
                "refused: {name} is not looked up, and this sandbox delivers to loopback only (--webhook-hosts loopback)"
            )
        })
    }

    /// The check before each attempt, before any lookup or connection: an IP literal (the
    /// client connects to one without asking its resolver), or a name this policy does not
    /// look up. The error is what the delivery log says.
    pub fn before_connecting(&self, url: &url::Url) -> Result<(), String> {
        let port = url.port_or_known_default().unwrap_or(0);
        let ip = match url.host() {
            Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
            Some(url::Host::Domain(name)) => {
                return self.refuse_lookup(name).map_or(Ok(()), Err);
            }
            None => return Err("The webhook URL has no host".to_string()),
        };
        if self.is_own(ip, port) {
            return Ok(());
        }
        match self.refusal(ip) {
            Some(why) => Err(format!("refused: destination address {ip} is {why}")),
            None => Ok(()),
        }
    }
}

/// Why a name led nowhere the sender may connect to: refused, or not found. Found in the
/// client's error to say it in the delivery log.
#[derive(Debug)]
pub struct Unreachable(pub String);

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreachable {}

/// The [`Unreachable`] inside a failed request, if that is why it failed.
pub fn unreachable<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a Unreachable> {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if let Some(found) = e.downcast_ref::<Unreachable>() {
            return Some(found);
        }
        cause = e.source();
    }
    None
}

/// The webhook client's resolver: looks a name up (`localhost` names answer loopback
/// without a lookup), refuses it when any of its addresses is refused, and otherwise answers
/// exactly the addresses it checked, which are all the client connects to.
pub struct Guard {
    pub policy: Policy,
    pub resolver: Resolver,
}

impl Guard {
    pub fn new(policy: Policy, resolver: Resolver) -> Arc<Guard> {
        Arc::new(Guard { policy, resolver })
    }
}

impl reqwest::dns::Resolve for Guard {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        let policy = self.policy;
        if let Some(refused) = policy.refuse_lookup(&host) {
            return Box::pin(std::future::ready(Err(Unreachable(refused).into())));
        }
        let lookup = match host.parse::<IpAddr>() {
            Ok(ip) => Box::pin(std::future::ready(Ok(vec![ip]))),
            Err(_) if is_localhost(&host) => Box::pin(std::future::ready(Ok(LOCALHOST.to_vec()))),
            Err(_) => self.resolver.lookup(&host),
        };
        Box::pin(async move {
            let addrs = lookup
                .await
                .map_err(|e| Unreachable(format!("Could not resolve {host}: {e}")))?;
            if addrs.is_empty() {
                return Err(Unreachable(format!("Could not resolve {host}: no address")).into());
            }
            if let Some((ip, why)) = addrs
                .iter()
                .find_map(|ip| policy.refusal(*ip).map(|why| (ip, why)))
            {
                return Err(Unreachable(format!(
                    "refused: {host} resolves to {ip}, which is {why}"
                ))
                .into());
            }
            let checked: reqwest::dns::Addrs =
                Box::new(addrs.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(checked)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The host of `url` as the sender reads it.
    fn host(url: &str) -> IpAddr {
        match url::Url::parse(url).unwrap().host() {
            Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
            other => panic!("{url}: not an IP literal but {other:?}"),
        }
    }

    fn policy(hosts: WebhookHosts, listening: &str) -> Policy {
        Policy {
            hosts,
            listening: Some(listening.parse().unwrap()),
        }
    }

    #[test]
    fn every_spelling_of_an_address_is_classified_as_the_address() {
        for (url, kind) in [
            // Decimal, hex, octal and short IPv4: the url crate writes them dotted.
            ("http://2130706433/", Kind::Loopback),
            ("http://0x7f.1/", Kind::Loopback),
            ("http://0x7F000001/", Kind::Loopback),
            ("http://0177.0.0.1/", Kind::Loopback),
            ("http://127.1/", Kind::Loopback),
            ("http://127.0.0.1./", Kind::Loopback),
            ("http://167772161/", Kind::Private),
            ("http://012.0.0.1/", Kind::Private),
            ("http://0/", Kind::Unspecified),
            ("http://0.0.0.0:8080/", Kind::Unspecified),
            ("http://[::]/", Kind::Unspecified),
            ("http://[::1]/", Kind::Loopback),
            ("http://[0:0:0:0:0:0:0:1]/", Kind::Loopback),
            // IPv4-mapped and -compatible IPv6: the IPv4 address inside decides.
            ("http://[::ffff:10.0.0.1]/", Kind::Private),
            ("http://[::ffff:7f00:1]/", Kind::Loopback),
            ("http://[::ffff:169.254.169.254]/", Kind::LinkLocal),
            ("http://[::ffff:0.0.0.0]/", Kind::Unspecified),
            ("http://[::10.0.0.1]/", Kind::Private),
            ("http://[::127.0.0.1]/", Kind::Reserved),
            ("http://[64:ff9b::a00:1]/", Kind::Private),
            ("http://[64:ff9b::808:808]/", Kind::Public),
            ("http://[2002:a9fe:a9fe::1]/", Kind::LinkLocal),
            ("http://[2002:c000:201::1]/", Kind::Documentation),
            ("http://10.0.0.1/", Kind::Private),
            ("http://172.16.0.1/", Kind::Private),
            ("http://172.31.255.255/", Kind::Private),
            ("http://192.168.1.1/", Kind::Private),
            ("http://100.64.0.1/", Kind::Private),
            ("http://100.127.255.254/", Kind::Private),
            ("http://[fd00::1]/", Kind::Private),
            ("http://[fc00::1]/", Kind::Private),
            ("http://[fec0::1]/", Kind::Private),
            ("http://169.254.169.254/", Kind::LinkLocal),
            ("http://[fe80::1]/", Kind::LinkLocal),
            ("http://224.0.0.1/", Kind::Multicast),
            ("http://239.255.255.250/", Kind::Multicast),
            ("http://[ff02::1]/", Kind::Multicast),
            ("http://255.255.255.255/", Kind::Broadcast),
            ("http://192.0.2.1/", Kind::Documentation),
            ("http://198.51.100.7/", Kind::Documentation),
            ("http://203.0.113.9/", Kind::Documentation),
            ("http://[2001:db8::1]/", Kind::Documentation),
            ("http://[3fff::1]/", Kind::Documentation),
            ("http://0.1.2.3/", Kind::Reserved),
            ("http://240.0.0.1/", Kind::Reserved),
            ("http://198.18.0.1/", Kind::Reserved),
            ("http://192.0.0.8/", Kind::Reserved),
            ("http://[2001::1]/", Kind::Reserved),
            ("http://[100::1]/", Kind::Reserved),
            ("http://[::ffff:0:a00:1]/", Kind::Reserved),
            ("http://8.8.8.8/", Kind::Public),
            ("http://172.32.0.1/", Kind::Public),
            ("http://100.128.0.1/", Kind::Public),
            ("http://[2606:4700::1111]/", Kind::Public),
        ] {
            assert_eq!(classify(host(url)), kind, "{url}");
        }
    }

    #[test]
    fn each_policy_allows_what_it_says() {
        let on_loopback = policy(WebhookHosts::Auto, "127.0.0.1:8080");
        let everywhere = policy(WebhookHosts::Auto, "0.0.0.0:8080");
        let public = policy(WebhookHosts::Public, "127.0.0.1:8080");
        let loopback = policy(WebhookHosts::Loopback, "0.0.0.0:8080");
        let private = policy(WebhookHosts::Private, "0.0.0.0:8080");
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let allows = |p: &Policy, s: &str| p.refusal(ip(s)).is_none();

        assert!(allows(&on_loopback, "127.0.0.1") && allows(&on_loopback, "::1"));
        assert!(allows(&on_loopback, "8.8.8.8"));
        assert!(!allows(&on_loopback, "10.0.0.1") && !allows(&on_loopback, "::ffff:10.0.0.1"));
        assert!(!allows(&everywhere, "127.0.0.1") && !allows(&everywhere, "::ffff:127.0.0.1"));
        assert!(allows(&everywhere, "8.8.8.8"));
        assert!(!allows(&public, "127.0.0.1") && allows(&public, "2606:4700::1111"));
        assert!(allows(&loopback, "127.0.0.2") && !allows(&loopback, "8.8.8.8"));
        assert!(allows(&private, "10.0.0.1") && allows(&private, "127.0.0.1"));
        assert!(allows(&private, "fd12::1") && allows(&private, "8.8.8.8"));
        // Never, whatever the policy.
        for p in [&on_loopback, &everywhere, &public, &loopback, &private] {
            for never in [
                "0.0.0.0",
                "::",
                "169.254.169.254",
                "fe80::1",
                "224.0.0.1",
                "ff02::1",
                "255.255.255.255",
                "192.0.2.1",
                "240.0.0.1",
                "::ffff:169.254.169.254",
            ] {
                assert!(!allows(p, never), "{p:?} {never}");
            }
        }
        // No listener known (a router in a test): as if on loopback.
        let unbound = Policy {
            hosts: WebhookHosts::Auto,
            listening: None,
        };
        assert!(allows(&unbound, "127.0.0.1"));
    }

    #[test]
    fn refusals_say_what_the_address_is_and_which_flag_allows_it() {
        let everywhere = policy(WebhookHosts::Auto, "0.0.0.0:8080");
        let url = |s: &str| url::Url::parse(s).unwrap();
        assert_eq!(
            everywhere.before_connecting(&url("http://10.1.2.3/hook")),
            Err("refused: destination address 10.1.2.3 is private (--webhook-hosts private delivers to private networks)".to_string())
        );
        assert_eq!(
            everywhere.before_connecting(&url("http://2130706433:9000/")),
            Err("refused: destination address 127.0.0.1 is loopback, and this sandbox listens on 0.0.0.0:8080, not on loopback (--webhook-hosts loopback or private delivers there)".to_string())
        );
        assert_eq!(
            everywhere.before_connecting(&url("http://[::ffff:a9fe:a9fe]/")),
            Err("refused: destination address ::ffff:169.254.169.254 is link-local".to_string())
        );
        // The sandbox's own address stays reachable: the demo shop listens there.
        assert_eq!(
            everywhere.before_connecting(&url("http://127.0.0.1:8080/sandbox/shop/webhooks")),
            Ok(())
        );
        assert!(everywhere
            .before_connecting(&url("http://127.0.0.1:8081/"))
            .is_err());
        // A name is checked when it is looked up, unless the policy looks up none.
        assert_eq!(
            everywhere.before_connecting(&url("http://rebind.test/")),
            Ok(())
        );
        let loopback = policy(WebhookHosts::Loopback, "127.0.0.1:8080");
        assert_eq!(
            loopback.before_connecting(&url("https://tunnel.test/")),
            Err("refused: tunnel.test is not looked up, and this sandbox delivers to loopback only (--webhook-hosts loopback)".to_string())
        );
        assert_eq!(
            loopback.before_connecting(&url("http://localhost:3000/")),
            Ok(())
        );

        // Registration: literals and localhost names, nothing looked up.
        assert_eq!(everywhere.check_url("https://shop.example/hooks"), Ok(()));
        assert_eq!(everywhere.check_url("http://metadata.test/"), Ok(()));
        let refused = everywhere.check_url("http://LOCALHOST.:3000/").unwrap_err();
        assert!(
            refused.starts_with("URL host localhost is loopback"),
            "{refused}"
        );
        assert!(everywhere.check_url("http://api.localhost/").is_err());
        assert_eq!(
            everywhere.check_url("http://0x7f.1/"),
            Err("URL host 127.0.0.1 is loopback, and this sandbox listens on 0.0.0.0:8080, not on loopback (--webhook-hosts loopback or private delivers there)".to_string())
        );
        let on_loopback = policy(WebhookHosts::Auto, "127.0.0.1:8080");
        assert_eq!(on_loopback.check_url("http://localhost:3000/hooks"), Ok(()));
        assert!(on_loopback.check_url("http://[fd00::1]/").is_err());
        let loopback = policy(WebhookHosts::Loopback, "127.0.0.1:8080");
        let refused = loopback.check_url("https://8.8.8.8/").unwrap_err();
        assert!(refused.contains("loopback only"), "{refused}");
    }

    #[tokio::test]
    async fn the_guard_answers_only_addresses_it_checked() {
        use reqwest::dns::Resolve;
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let resolver = Resolver::fixed(&[
            ("rebind.test", &[ip("10.0.0.1")]),
            ("mixed.test", &[ip("127.0.0.1"), ip("169.254.169.254")]),
            ("local.test", &[ip("127.0.0.1"), ip("::1")]),
        ]);
        let guard = Guard::new(policy(WebhookHosts::Auto, "127.0.0.1:8080"), resolver);
        let name = |s: &str| s.parse::<reqwest::dns::Name>().unwrap();
        let refused = guard.resolve(name("rebind.test")).await.err().unwrap();
        assert_eq!(
            unreachable(refused.as_ref()).unwrap().0,
            "refused: rebind.test resolves to 10.0.0.1, which is private (--webhook-hosts private delivers to private networks)"
        );
        let refused = guard.resolve(name("mixed.test")).await.err().unwrap();
        assert!(refused
            .to_string()
            .contains("169.254.169.254, which is link-local"));
        let unknown = guard.resolve(name("nowhere.test")).await.err().unwrap();
        assert!(unknown
            .to_string()
            .starts_with("Could not resolve nowhere.test"));
        let addrs: Vec<SocketAddr> = guard.resolve(name("local.test")).await.unwrap().collect();
        assert_eq!(
            addrs,
            ["127.0.0.1:0".parse().unwrap(), "[::1]:0".parse().unwrap()]
        );
        assert_eq!(guard.resolver.lookups(), 4);
        // localhost is loopback without asking anyone.
        let addrs: Vec<SocketAddr> = guard
            .resolve(name("api.localhost"))
            .await
            .unwrap()
            .collect();
        assert_eq!(addrs.len(), 2);
        assert_eq!(guard.resolver.lookups(), 4);
        // With --webhook-hosts loopback, other names are not even looked up.
        let loopback = Guard::new(
            policy(WebhookHosts::Loopback, "127.0.0.1:8080"),
            Resolver::fixed(&[("local.test", &[ip("127.0.0.1")])]),
        );
        assert!(loopback.resolve(name("local.test")).await.is_err());
        assert!(loopback.resolve(name("localhost")).await.is_ok());
        assert_eq!(loopback.resolver.lookups(), 0);
    }
}
