# scaling.gp: a threaded workload's throughput (all threads together) and peak RSS against
# the thread count, one line per allocator, each point with its 95 % interval (throughput)
# or its range over processes (peak RSS) as an error bar.
# Set by plots/plot: datadir (holds <stem>_<allocator>.tsv: threads, Mops/s, low, high,
# peak MiB, min, max), stem, xtics (the thread counts), xmax, yaxis (the throughput axis's
# commands), out, title, na/name<i>/colour<i>, drawn.
load "style.gp"
file(i) = sprintf("%s/%s_%d.tsv", datadir, stem, i)
eval "set xtics " . xtics
set xrange [0.5 : xmax + 0.5]
set xlabel "threads"
do for [fmt in "png svg"] {
    eval terminal(fmt)
    set output out . "." . fmt
    set multiplot layout 1, 2 title title
    set key off
    eval yaxis
    set ylabel "throughput, all threads (Mops/s)"
    plot for [k = 1:words(drawn)] file(drawn_index(k)) using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb colour(drawn_index(k)) notitle
    set key outside right top vertical Left reverse noenhanced samplen 2 spacing 1.3
    set yrange [0 : *]
    unset logscale y
    set ylabel "peak RSS of the cold pass, above the baseline (MiB)"
    plot for [k = 1:words(drawn)] file(drawn_index(k)) using 1:5:6:7 with yerrorlines lw 2 pt 7 lc rgb colour(drawn_index(k)) notitle, \
         for [i = 1:na] keyentry with lines lw 2 lc rgb colour(i) title name(i)
    unset multiplot
    unset output
}
