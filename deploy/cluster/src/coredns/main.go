// A minimal CoreDNS for the local cluster's DNS: only the plugins its Corefile uses
// (deploy/cluster/manifests/coredns.yaml), instead of CoreDNS's default build with every
// cloud provider's SDK. Plugins register themselves when imported; the order in which they
// run comes from CoreDNS's own directive list (core/dnsserver).
package main

import (
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/metrics"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"

	"github.com/coredns/coredns/coremain"
)

func main() { coremain.Run() }
