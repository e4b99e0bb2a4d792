# Performance profiles (Dolan & Moré) over 480 (problem, instance, repetition)s
# Written by optbench report. Re-render in this folder with: gnuplot performance_profiles.gp
reset
do for [ext in "png svg"] {
    if (ext eq "png") {
        set terminal pngcairo noenhanced size 1000,812 font "Sans,11"
    } else {
        set terminal svg noenhanced size 1000,812 dynamic font "Sans,11" background rgb "white"
    }
    set output "performance_profiles.".ext
    set multiplot title "Performance profiles (Dolan & Moré) over 480 (problem, instance, repetition)s"
    set yrange [0:1]
    set grid
    set ylabel "fraction of problems"
    unset key
    set lmargin at screen 0.08
    set rmargin at screen 0.475
    set tmargin at screen 0.9014778325123153
    set bmargin at screen 0.5689655172413793
    set title "tau = 0.1"
    set xlabel "evaluations / fewest of any optimizer (log2 axis)"
    set logscale x 2
    set format x "% g"
    set xrange [1:256]
    plot "performance_profiles.dat" index 0 using 1:2 with steps lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 0 every 24::1 using 1:2 with points lc rgb "#0072B2" dt 1 pt 7 notitle, "performance_profiles.dat" index 1 using 1:2 with steps lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 1 every 21::1 using 1:2 with points lc rgb "#D55E00" dt 2 pt 5 notitle
    set lmargin at screen 0.58
    set rmargin at screen 0.975
    set tmargin at screen 0.9014778325123153
    set bmargin at screen 0.5689655172413793
    set title "tau = 0.001"
    set xlabel "evaluations / fewest of any optimizer (log2 axis)"
    set logscale x 2
    set format x "% g"
    set xrange [1:256]
    plot "performance_profiles.dat" index 2 using 1:2 with steps lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 2 every 18::1 using 1:2 with points lc rgb "#0072B2" dt 1 pt 7 notitle, "performance_profiles.dat" index 3 using 1:2 with steps lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 3 every 16::1 using 1:2 with points lc rgb "#D55E00" dt 2 pt 5 notitle
    set lmargin at screen 0.08
    set rmargin at screen 0.475
    set tmargin at screen 0.458128078817734
    set bmargin at screen 0.12561576354679804
    set title "tau = 1e-5"
    set xlabel "evaluations / fewest of any optimizer (log2 axis)"
    set logscale x 2
    set format x "% g"
    set xrange [1:256]
    plot "performance_profiles.dat" index 4 using 1:2 with steps lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 4 every 15::1 using 1:2 with points lc rgb "#0072B2" dt 1 pt 7 notitle, "performance_profiles.dat" index 5 using 1:2 with steps lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 5 every 14::1 using 1:2 with points lc rgb "#D55E00" dt 2 pt 5 notitle
    set lmargin at screen 0.58
    set rmargin at screen 0.975
    set tmargin at screen 0.458128078817734
    set bmargin at screen 0.12561576354679804
    set title "tau = 1e-7"
    set xlabel "evaluations / fewest of any optimizer (log2 axis)"
    set logscale x 2
    set format x "% g"
    set xrange [1:256]
    plot "performance_profiles.dat" index 6 using 1:2 with steps lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 6 every 13::1 using 1:2 with points lc rgb "#0072B2" dt 1 pt 7 notitle, "performance_profiles.dat" index 7 using 1:2 with steps lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 7 every 14::1 using 1:2 with points lc rgb "#D55E00" dt 2 pt 5 notitle
    set lmargin at screen 0.02
    set rmargin at screen 0.98
    set tmargin at screen 0.04556650246305416
    set bmargin at screen 0.006157635467980316
    unset border
    unset tics
    unset title
    unset xlabel
    unset ylabel
    unset grid
    unset logscale x
    set xrange [0:1]
    set key center center horizontal width 2
    plot NaN with linespoints lw 2 lc rgb "#0072B2" dt 1 pt 7 title "cmaes", NaN with linespoints lw 2 lc rgb "#D55E00" dt 2 pt 5 title "cyberagent_cma"
    unset multiplot
    unset output
}
