# bars.gp: one group of bars per workload, one bar per allocator. Bars are boxes with
# explicit bottoms so that ratios can grow up or down from 1.0 on a log axis.
# Set by plots/plot: data (allocator index, x, value); up and down (x, y, text: labels
# that read upward from the end of a bar or its error bar, or downward); errors (x, value,
# low, high: the interval or range drawn over a bar, as a line with a cap at
# each end: gnuplot's yerrorbars leave a gap at the point); out, title, ylabel, yaxis (the
# value axis's commands), base (where bars start), ref (1: line at 1.0), half (half a
# bar's width), nw/wl<j>, na/name<i>/colour<i>, drawn.
load "style.gp"
set xrange [-0.6 : nw - 0.4]
eval yaxis
set xtics scale 0 font ",11" ()
do for [j = 1:nw] { set xtics add (wl(j) j - 1) }
set ylabel ylabel noenhanced
set title title
if (ref) { set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5 lc rgb "#333333" front }
do for [fmt in "png svg"] {
    eval terminal(fmt)
    set output out . "." . fmt
    plot for [k = 1:words(drawn)] data \
             using ($1 == drawn_index(k) ? $2 : NaN):3:($2 - half):($2 + half):(base):3 \
             with boxxyerror fill solid 0.9 border rgb "#333333" lc rgb colour(drawn_index(k)) notitle, \
         for [i = 1:na] keyentry with boxes fill solid 0.9 border rgb "#333333" lc rgb colour(i) title name(i), \
         errors using 1:3:(0):($4 - $3) with vectors nohead lw 1.2 lc rgb "#222222" notitle, \
         for [end = 3:4] errors using ($1 - half / 2):(column(end)):(half):(0) with vectors nohead lw 1.2 lc rgb "#222222" notitle, \
         up using 1:2:3 with labels left rotate by 90 offset 0, 0.3 font ",9" textcolor rgb "#333333" notitle, \
         down using 1:2:3 with labels right rotate by 90 offset 0, -0.3 font ",9" textcolor rgb "#333333" notitle
    unset output
}
