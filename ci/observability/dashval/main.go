// dashval validates Grafana dashboard JSON strictly, offline, with the types of Grafana's
// Apache-2.0 foundation SDK: an unknown field, a wrong type or a failed constraint is an error
// (Grafana itself would silently drop or default them). It also enforces Flotilla's own rules:
// every panel that is not a row has at least one Prometheus query, and every query names the
// dashboard's datasource variable. Usage: dashval FILE.json... (exit 1 when any file is invalid).
package main

import (
	"fmt"
	"os"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dashval FILE.json...")
		os.Exit(2)
	}
	// Registers the panel and query variants (timeseries, stat, prometheus...), so their options
	// and targets are decoded into typed structs, strictly, instead of left as raw JSON.
	plugins.RegisterDefaultPlugins()
	bad := 0
	for _, f := range os.Args[1:] {
		if errs := validate(f); len(errs) > 0 {
			bad++
			fmt.Printf("%s: INVALID\n", f)
			for _, e := range errs {
				fmt.Printf("  %v\n", e)
			}
		} else {
			fmt.Printf("%s: ok\n", f)
		}
	}
	if bad > 0 {
		os.Exit(1)
	}
}

func validate(file string) []error {
	raw, err := os.ReadFile(file)
	if err != nil {
		return []error{err}
	}
	var d dashboard.Dashboard
	if err := d.UnmarshalJSONStrict(raw); err != nil {
		if be, ok := err.(cog.BuildErrors); !ok || len(be) > 0 {
			return []error{err}
		}
	}
	if err := d.Validate(); err != nil {
		return []error{err}
	}
	var errs []error
	for _, p := range d.Panels {
		if p.Panel == nil {
			continue // a row
		}
		title := "(untitled)"
		if p.Panel.Title != nil {
			title = *p.Panel.Title
		}
		if len(p.Panel.Targets) == 0 {
			errs = append(errs, fmt.Errorf("panel %q has no query", title))
		}
		for _, t := range p.Panel.Targets {
			q, ok := t.(*prometheus.Dataquery)
			if !ok {
				errs = append(errs, fmt.Errorf("panel %q: a target is not a Prometheus query (%T)", title, t))
				continue
			}
			if q.Expr == "" {
				errs = append(errs, fmt.Errorf("panel %q: empty expr", title))
			}
			if q.Datasource == nil || q.Datasource.Uid == nil || *q.Datasource.Uid != "${datasource}" {
				errs = append(errs, fmt.Errorf("panel %q: query %q must use the ${datasource} variable", title, q.Expr))
			}
		}
	}
	return errs
}
