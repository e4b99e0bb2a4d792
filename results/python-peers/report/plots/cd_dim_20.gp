# Critical differences, dim=20: average ranks over 24 problems (Friedman p = 1); bars join optimizers within the Nemenyi CD = 0.4
# Written by optbench report. Re-render in this folder with: gnuplot cd_dim_20.gp
reset
do for [ext in "png svg"] {
    if (ext eq "png") {
        set terminal pngcairo noenhanced size 780,207 font "Sans,11"
    } else {
        set terminal svg noenhanced size 780,207 dynamic font "Sans,11" background rgb "white"
    }
    set output "cd_dim_20.".ext
    set title "dim=20: 24 problems, Friedman p = 1"
    unset key
    unset border
    unset tics
    set lmargin at screen 0
    set rmargin at screen 1
    set bmargin at screen 0
    set tmargin at screen 0.8067632850241546
    set xrange [0.19999999999999996:2.8]
    set yrange [1.75:-2.2]
    set label 1 "cmaes (1.5)" at 0.88,1.15 right offset -0.5,0
    set label 2 "cyberagent_cma (1.5)" at 2.12,1.15 left offset 0.5,0
    set label 3 "1" at 1,-0.55 center
    set label 4 "2" at 2,-0.55 center
    set label 5 "CD = 0.4" at 1.2000379865147786,-1.9 center
    plot "cd_dim_20.dat" index 0 using 1:2 with lines lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 0 every ::0::0 using 1:2 with points ps 1.5 lw 2 lc rgb "#0072B2" dt 1 pt 7 notitle, "cd_dim_20.dat" index 1 using 1:2 with lines lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 1 every ::0::0 using 1:2 with points ps 1.5 lw 2 lc rgb "#D55E00" dt 2 pt 5 notitle, "cd_dim_20.dat" index 2 using 1:2 with lines lw 1 lc rgb "black" notitle, "cd_dim_20.dat" index 3 using 1:2 with lines lw 5 lc rgb "black" notitle
    unset output
}
