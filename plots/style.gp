# style.gp: what every plot shares; loaded by the other scripts (plots/plot sets loadpath).
# Each plot is written twice, as PNG for a quick look and SVG for zooming and text search.
# width and height (pixels) are set by every job.
terminal(fmt) = (fmt eq "png") \
    ? sprintf('set terminal pngcairo size %d,%d font "DejaVu Sans,11" noenhanced background rgb "white"', width, height) \
    : sprintf('set terminal svg size %d,%d dynamic font "DejaVu Sans,11" noenhanced background rgb "white"', width, height)
set datafile separator "\t"
set encoding utf8
set border 3 lc rgb "#444444"
set tics nomirror
set grid ytics lc rgb "#e0e0e0" lt 1
# noenhanced also makes the SVG name each legend entry's group after its title.
set key outside right top vertical Left reverse noenhanced samplen 2 spacing 1.3
set title noenhanced font ",13"
name(i) = value(sprintf("name%d", i))
colour(i) = value(sprintf("colour%d", i))
wl(j) = value(sprintf("wl%d", j))
# gnuplot evaluates a clause's colour even when its "for" is empty (drawn is ""): stay numeric.
drawn_index(k) = (k <= words(drawn)) ? word(drawn, k) + 0 : 1
