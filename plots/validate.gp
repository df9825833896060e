# validate.gp: predicted against real (plots/validate): a point per allocator and program, the
# wall time the replay predicts over the baseline's on x, the real one over the baseline's on
# y, on axes from lo to hi, with the diagonal where the prediction is exact.
# Set by plots/validate: data (allocator index, predicted ratio, real ratio), out, title,
# width, height, lo, hi, na/name<i>/colour<i>.
load "style.gp"
do for [fmt in "png svg"] {
    eval terminal(fmt)
    set output out . "." . fmt
    set title title
    unset logscale
    set xrange [lo:hi]
    set yrange [lo:hi]
    set grid xtics ytics lc rgb "#e0e0e0" lt 1
    set xlabel "predicted by the replay: wall time over the baseline's"
    set ylabel "real: wall time over the baseline's"
    plot x with lines lc rgb "#999999" dt 2 title "prediction = real", \
         for [i = 1:na] data using ($1 == i ? $2 : NaN):3 with points pt 7 ps 1.3 \
             lc rgb colour(i) title name(i)
    unset output
}
