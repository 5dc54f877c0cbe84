// dashval validates Grafana dashboard JSON strictly, offline, with the types of Grafana's
// Apache-2.0 foundation SDK: an unknown field, a wrong type or a failed constraint is an error
// (Grafana itself would silently drop or default them). It also enforces Flotilla's own rules:
// every panel that is not a row has at least one Prometheus query, and every query names the
// dashboard's datasource variable. Usage: dashval FILE.json... (exit 1 when any file is invalid).
package main

import (
	"encoding/json"
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

// noErrors: the SDK returns an empty cog.BuildErrors (a non-nil interface) on success.
func noErrors(err error) bool {
	be, ok := err.(cog.BuildErrors)
	return err == nil || (ok && len(be) == 0)
}

func validate(file string) []error {
	raw, err := os.ReadFile(file)
	if err != nil {
		return []error{err}
	}
	var d dashboard.Dashboard
	if err := d.UnmarshalJSONStrict(raw); !noErrors(err) {
		return []error{err}
	}
	if err := d.Validate(); err != nil {
		return []error{err}
	}
	// The SDK's decoders check panels and queries strictly (above) but do not keep the decoded
	// targets, so each query is decoded again here, strictly, for Flotilla's own rules.
	var doc struct {
		Panels []struct {
			Type    string            `json:"type"`
			Title   string            `json:"title"`
			Targets []json.RawMessage `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return []error{err}
	}
	var errs []error
	for _, p := range doc.Panels {
		if p.Type == "row" {
			continue
		}
		if len(p.Targets) == 0 {
			errs = append(errs, fmt.Errorf("panel %q has no query", p.Title))
		}
		for _, t := range p.Targets {
			var q prometheus.Dataquery
			if err := q.UnmarshalJSONStrict(t); !noErrors(err) {
				errs = append(errs, fmt.Errorf("panel %q: not a valid Prometheus query: %v", p.Title, err))
				continue
			}
			if q.Expr == "" {
				errs = append(errs, fmt.Errorf("panel %q: empty expr", p.Title))
			}
			if q.Datasource == nil || q.Datasource.Uid == nil || *q.Datasource.Uid != "${datasource}" {
				errs = append(errs, fmt.Errorf("panel %q: query %q must use the ${datasource} variable", p.Title, q.Expr))
			}
		}
	}
	return errs
}
