# tradeoff.gp: time against memory, one point per (allocator, workload): colour names the
# allocator, the point's shape the workload. Both axes are logarithmic.
# Set by plots/plot: data (allocator index, workload index, peak MiB, ns/op), out, title,
# pts (point type per workload), xmin, xmax, xticks, ymin, ymax, yticks, nw/wl<j>,
# na/name<i>/colour<i>, drawn.
load "style.gp"
set logscale xy
set format x "%g"
set format y "%g"
set grid xtics ytics lc rgb "#e0e0e0" lt 1
set xlabel "peak RSS above the baseline (MiB, log scale)"
set ylabel "time per call (ns/op, log scale)"
set title title
set xrange [xmin : xmax]
set yrange [ymin : ymax]
eval "set xtics " . xticks
eval "set ytics " . yticks
do for [fmt in "png svg"] {
    eval terminal(fmt)
    set output out . "." . fmt
    plot for [k = 1:words(drawn)] for [j = 1:nw] data \
             using (($1 == drawn_index(k) && $2 == j) ? $3 : NaN):4 \
             with points pt (word(pts, j) + 0) ps 2 lc rgb colour(drawn_index(k)) notitle, \
         for [i = 1:na] keyentry with points pt 7 ps 2 lc rgb colour(i) title name(i), \
         keyentry with points pt -1 lc rgb "white" title " ", \
         for [j = 1:nw] keyentry with points pt (word(pts, j) + 0) ps 2 lc rgb "#444444" title wl(j)
    unset output
}
