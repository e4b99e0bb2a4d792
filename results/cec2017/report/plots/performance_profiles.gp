# Performance profiles (Dolan & Moré) over 2958 (problem, instance, repetition)s
# Written by optbench report. Re-render in this folder with: gnuplot performance_profiles.gp
reset
do for [ext in "png svg"] {
    if (ext eq "png") {
        set terminal pngcairo noenhanced size 1000,834 font "Sans,11"
    } else {
        set terminal svg noenhanced size 1000,834 dynamic font "Sans,11" background rgb "white"
    }
    set output "performance_profiles.".ext
    set multiplot title "Performance profiles (Dolan & Moré) over 2958 (problem, instance, repetition)s"
    set yrange [0:1]
    set grid
    set ylabel "fraction of problems"
    unset key
    set lmargin at screen 0.08
    set rmargin at screen 0.475
    set tmargin at screen 0.9040767386091128
    set bmargin at screen 0.580335731414868
    set title "tau = 0.1"
    set xlabel "evaluations / fewest of any optimizer (log2 axis)"
    set logscale x 2
    set format x "% g"
    set xrange [1:1048576]
    plot "performance_profiles.dat" index 0 using 1:2 with steps lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 0 every 90::1 using 1:2 with points lc rgb "#0072B2" dt 1 pt 7 notitle, "performance_profiles.dat" index 1 using 1:2 with steps lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 1 every 74::1 using 1:2 with points lc rgb "#D55E00" dt 2 pt 5 notitle, "performance_profiles.dat" index 2 using 1:2 with steps lw 2 lc rgb "#009E73" dt 3 notitle, "" index 2 every 122::1 using 1:2 with points lc rgb "#009E73" dt 3 pt 9 notitle, "performance_profiles.dat" index 3 using 1:2 with steps lw 2 lc rgb "#CC79A7" dt 4 notitle, "" index 3 every 23::1 using 1:2 with points lc rgb "#CC79A7" dt 4 pt 11 notitle
    set lmargin at screen 0.58
    set rmargin at screen 0.975
    set tmargin at screen 0.9040767386091128
    set bmargin at screen 0.580335731414868
    set title "tau = 0.001"
    set xlabel "evaluations / fewest of any optimizer (log2 axis)"
    set logscale x 2
    set format x "% g"
    set xrange [1:1048576]
    plot "performance_profiles.dat" index 4 using 1:2 with steps lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 4 every 47::1 using 1:2 with points lc rgb "#0072B2" dt 1 pt 7 notitle, "performance_profiles.dat" index 5 using 1:2 with steps lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 5 every 112::1 using 1:2 with points lc rgb "#D55E00" dt 2 pt 5 notitle, "performance_profiles.dat" index 6 using 1:2 with steps lw 2 lc rgb "#009E73" dt 3 notitle, "" index 6 every 55::1 using 1:2 with points lc rgb "#009E73" dt 3 pt 9 notitle, "performance_profiles.dat" index 7 using 1:2 with steps lw 2 lc rgb "#CC79A7" dt 4 notitle, "" index 7 every 1::1 using 1:2 with points lc rgb "#CC79A7" dt 4 pt 11 notitle
    set lmargin at screen 0.08
    set rmargin at screen 0.475
    set tmargin at screen 0.47242206235011985
    set bmargin at screen 0.14868105515587526
    set title "tau = 1e-5"
    set xlabel "evaluations / fewest of any optimizer (log2 axis)"
    set logscale x 2
    set format x "% g"
    set xrange [1:1048576]
    plot "performance_profiles.dat" index 8 using 1:2 with steps lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 8 every 52::1 using 1:2 with points lc rgb "#0072B2" dt 1 pt 7 notitle, "performance_profiles.dat" index 9 using 1:2 with steps lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 9 every 88::1 using 1:2 with points lc rgb "#D55E00" dt 2 pt 5 notitle, "performance_profiles.dat" index 10 using 1:2 with steps lw 2 lc rgb "#009E73" dt 3 notitle, "" index 10 every 41::1 using 1:2 with points lc rgb "#009E73" dt 3 pt 9 notitle, "performance_profiles.dat" index 11 using 1:2 with steps lw 2 lc rgb "#CC79A7" dt 4 notitle, "" index 11 every 9::1 using 1:2 with points lc rgb "#CC79A7" dt 4 pt 11 notitle
    set lmargin at screen 0.58
    set rmargin at screen 0.975
    set tmargin at screen 0.47242206235011985
    set bmargin at screen 0.14868105515587526
    set title "tau = 1e-7"
    set xlabel "evaluations / fewest of any optimizer (log2 axis)"
    set logscale x 2
    set format x "% g"
    set xrange [1:1048576]
    plot "performance_profiles.dat" index 12 using 1:2 with steps lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 12 every 48::1 using 1:2 with points lc rgb "#0072B2" dt 1 pt 7 notitle, "performance_profiles.dat" index 13 using 1:2 with steps lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 13 every 29::1 using 1:2 with points lc rgb "#D55E00" dt 2 pt 5 notitle, "performance_profiles.dat" index 14 using 1:2 with steps lw 2 lc rgb "#009E73" dt 3 notitle, "" index 14 every 10::1 using 1:2 with points lc rgb "#009E73" dt 3 pt 9 notitle, "performance_profiles.dat" index 15 using 1:2 with steps lw 2 lc rgb "#CC79A7" dt 4 notitle, "" index 15 every 4::1 using 1:2 with points lc rgb "#CC79A7" dt 4 pt 11 notitle
    set lmargin at screen 0.02
    set rmargin at screen 0.98
    set tmargin at screen 0.07074340527577938
    set bmargin at screen 0.005995203836930418
    unset border
    unset tics
    unset title
    unset xlabel
    unset ylabel
    unset grid
    unset logscale x
    set xrange [0:1]
    set key center center horizontal width 2
    plot NaN with linespoints lw 2 lc rgb "#0072B2" dt 1 pt 7 title "mdp", NaN with linespoints lw 2 lc rgb "#D55E00" dt 2 pt 5 title "cmaes:restarts=ipop", NaN with linespoints lw 2 lc rgb "#009E73" dt 3 pt 9 title "random_search", NaN with linespoints lw 2 lc rgb "#CC79A7" dt 4 pt 11 title "adam:gradient=fd"
    unset multiplot
    unset output
}
