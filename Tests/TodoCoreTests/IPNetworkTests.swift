import Testing
import TodoCore

@Suite struct IPNetworkTests {
    @Test func networksContainTheirAddressesOnly() throws {
        let loopback = try #require(IPNetwork("127.0.0.0/8"))
        #expect(loopback.contains("127.0.0.1") && loopback.contains("127.255.0.9"))
        #expect(!loopback.contains("128.0.0.1") && !loopback.contains("::1") && !loopback.contains("not an address"))
        #expect(loopback.contains("::ffff:127.0.0.1"), "an IPv4-mapped peer counts as its IPv4 address")
        let private10 = try #require(IPNetwork("10.1.2.0/23"))
        #expect(private10.contains("10.1.3.255") && !private10.contains("10.1.4.0"))
        let v6 = try #require(IPNetwork("fd00::/8"))
        #expect(v6.contains("fd12:3456::1") && !v6.contains("fe80::1"))
        #expect(try #require(IPNetwork("192.0.2.7")).contains("192.0.2.7"))
        #expect(!(try #require(IPNetwork("192.0.2.7")).contains("192.0.2.8")))
        #expect(try #require(IPNetwork("0.0.0.0/0")).contains("203.0.113.9"))
    }

    @Test(arguments: ["", "10.0.0.0/33", "::/129", "10.0.0/8", "example.com", "10.0.0.0/-1", "10.0.0.0/x"])
    func malformedNetworksAreRejected(text: String) {
        #expect(IPNetwork(text) == nil)
    }
}
