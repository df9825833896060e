# series.gp: RSS over the series pass of one workload, one line per allocator, with the
# live requested bytes as a grey floor: the gap above it is what each allocator holds
# beyond what the program asked for.
# Set by plots/plot: datadir (holds series_<workload>_<allocator>.tsv: ops, RSS MiB,
# live MiB), workload, first (the allocator whose live bytes draw the floor), xdiv and
# xlabel (calls are shown in thousands or millions), ylabel, yaxis (the RSS axis's
# commands), ymin (where the floor starts), out, title, na/name<i>/colour<i>, drawn.
load "style.gp"
file(i) = sprintf("%s/series_%d_%d.tsv", datadir, workload, i)
eval yaxis
set xrange [0 : *]
set format x "%g"
set xlabel xlabel
set ylabel ylabel
set title title
do for [fmt in "png svg"] {
    eval terminal(fmt)
    set output out . "." . fmt
    plot file(first) using ($1 / xdiv):(ymin):3 with filledcurves fc rgb "#d0d0d0" fs solid 1.0 title "live requested bytes", \
         for [k = 1:words(drawn)] file(drawn_index(k)) using ($1 / xdiv):2 with lines lw 2 lc rgb colour(drawn_index(k)) notitle, \
         for [i = 1:na] keyentry with lines lw 2 lc rgb colour(i) title name(i)
    unset output
}
