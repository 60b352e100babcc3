package replay

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteText writes r as a short plain-text summary: the counts, then a
// table with one row per model giving log loss and RMSE(bins). It returns
// the first write error.
func (r Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "reviews %d, cards %d, scored %d, mean recall %.4f\n\n", r.Reviews, r.Cards, r.Scored, r.MeanRecall)
	fmt.Fprintf(tw, "model\tlog loss\tRMSE(bins)\n")
	for _, m := range r.Models {
		fmt.Fprintf(tw, "%s\t%.6f\t%.6f\n", m.Name, m.LogLoss, m.RMSEBins)
	}
	tw.Flush()
	return ew.err
}

// errWriter remembers the first write error and drops everything after it,
// so a sequence of writes needs only one check at the end.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
