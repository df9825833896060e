# tradeoff.gp: time against memory, one small panel per workload: a point per allocator
# (its colour, its name beside it, its interval and range as error bars), ns/op against
# peak RSS; the last panel is the legend.
# Set by plots/plot: data (allocator index, panel, peak MiB, ns/op, name, 1 when the name
# goes right of the point, the name's ns/op: a line up or down where names would collide,
# then the peak RSS range over processes and the 95 % ns/op interval: min, max, low, high),
# out, title, rows, cols, nw/wl<j> (the panels' workloads), xaxis<j>/yaxis<j> (each panel's
# axis commands), na/name<i>/colour<i>, drawn.
load "style.gp"
do for [fmt in "png svg"] {
    eval terminal(fmt)
    set output out . "." . fmt
    set multiplot layout rows, cols title title font ",13"
    do for [j = 1:nw] {
        set border 3 lc rgb "#444444"
        set tics nomirror font ",9"
        set grid xtics ytics lc rgb "#e0e0e0" lt 1
        unset key
        set title wl(j) font ",11"
        set xlabel "peak RSS above the baseline (MiB)" font ",9"
        set ylabel "ns/op" font ",9"
        eval value(sprintf("xaxis%d", j))
        eval value(sprintf("yaxis%d", j))
        plot for [k = 1:words(drawn)] data using (($1 == drawn_index(k) && $2 == j) ? $3 : NaN):4:8:9:10:11 \
                 with xyerrorbars lw 1 pt -1 lc rgb colour(drawn_index(k)) notitle, \
             for [k = 1:words(drawn)] data using (($1 == drawn_index(k) && $2 == j) ? $3 : NaN):4 \
                 with points pt 7 ps 1.2 lc rgb colour(drawn_index(k)) notitle, \
             data using (($2 == j && $6 == 1) ? $3 : NaN):7:5 \
                 with labels left offset char 0.8, 0 font ",7" textcolor rgb "#333333" notitle, \
             data using (($2 == j && $6 == 0) ? $3 : NaN):7:5 \
                 with labels right offset char -0.8, 0 font ",7" textcolor rgb "#333333" notitle
    }
    unset border; unset tics; unset grid; unset title; unset xlabel; unset ylabel; unset logscale
    set xrange [0 : 1]; set yrange [0 : 1]
    set key inside center center vertical Left reverse noenhanced samplen 2 spacing 1.3
    # gnuplot cannot draw a plot of key entries alone: NaN gives it something to draw.
    plot NaN notitle, for [i = 1:na] keyentry with points pt 7 ps 1.5 lc rgb colour(i) title name(i)
    unset multiplot
    unset output
}
