# latency.gp: the single-call times of one workload's latency passes, one line per
# allocator: the share of calls that took at least x ns (a CCDF) on log axes, so that the
# tail (p99 at 10^-2, p99.9 at 10^-3, ...) reads as far down as the calls reach. A dashed
# grey line marks the clock's resolution: left of it a time cannot be told from an empty
# timing.
# Set by plots/plot: datadir (holds latency_<workload>_<allocator>.tsv: ns, share), workload,
# xmax, ymin (the axes' ends, whole decades), resolution (ns, 0 when unknown) and
# resolution_title, out, title, na/name<i>/colour<i>, drawn.
load "style.gp"
file(i) = sprintf("%s/latency_%d_%d.tsv", datadir, workload, i)
set logscale xy
set xrange [1 : xmax]
set yrange [ymin : 1.5]
set format x "%g"
set format y "%g"
set xtics 10
set ytics 10
set xlabel "time of one call, the clock's cost taken off (ns, log scale)"
set ylabel "share of the calls taking at least that long (log scale)"
set grid xtics ytics lc rgb "#e0e0e0" lt 1
set title title
if (resolution > 0) {
    set arrow 1 from resolution, graph 0 to resolution, graph 1 nohead dt 2 lw 1.5 lc rgb "#888888"
}
do for [fmt in "png svg"] {
    eval terminal(fmt)
    set output out . "." . fmt
    if (resolution > 0) {
        plot for [k = 1:words(drawn)] file(drawn_index(k)) using 1:2 with steps lw 2 lc rgb colour(drawn_index(k)) notitle, \
             for [i = 1:na] keyentry with lines lw 2 lc rgb colour(i) title name(i), \
             keyentry with lines dt 2 lw 1.5 lc rgb "#888888" title resolution_title
    } else {
        plot for [k = 1:words(drawn)] file(drawn_index(k)) using 1:2 with steps lw 2 lc rgb colour(drawn_index(k)) notitle, \
             for [i = 1:na] keyentry with lines lw 2 lc rgb colour(i) title name(i)
    }
    unset output
}
