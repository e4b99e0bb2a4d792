# Critical differences, dim=10: average ranks over 24 problems (Friedman p = 4.4e-8); bars join optimizers within the Nemenyi CD = 0.957
# Written by optbench report. Re-render in this folder with: gnuplot cd_dim_10.gp
reset
do for [ext in "png svg"] {
    if (ext eq "png") {
        set terminal pngcairo noenhanced size 948,256 font "Sans,11"
    } else {
        set terminal svg noenhanced size 948,256 dynamic font "Sans,11" background rgb "white"
    }
    set output "cd_dim_10.".ext
    set title "dim=10: 24 problems, Friedman p = 4.4e-8"
    unset key
    unset border
    unset tics
    set lmargin at screen 0
    set rmargin at screen 1
    set bmargin at screen 0
    set tmargin at screen 0.84375
    set xrange [-1.4500000000000002:6.45]
    set yrange [2.9:-2.2]
    set label 1 "cmaes:restarts=ipop (1.29)" at 0.6325000000000001,1.5 right offset -0.5,0
    set label 2 "mdp (2.31)" at 0.6325000000000001,2.3 right offset -0.5,0
    set label 3 "adam:gradient=fd (2.98)" at 4.3675,2.3 left offset 0.5,0
    set label 4 "random_search (3.42)" at 4.3675,1.5 left offset 0.5,0
    set label 5 "1" at 1,-0.55 center
    set label 6 "2" at 2,-0.55 center
    set label 7 "3" at 3,-0.55 center
    set label 8 "4" at 4,-0.55 center
    set label 9 "CD = 0.957" at 1.4787108066475416,-1.9 center
    plot "cd_dim_10.dat" index 0 using 1:2 with lines lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 0 every ::0::0 using 1:2 with points ps 1.5 lw 2 lc rgb "#D55E00" dt 2 pt 5 notitle, "cd_dim_10.dat" index 1 using 1:2 with lines lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 1 every ::0::0 using 1:2 with points ps 1.5 lw 2 lc rgb "#0072B2" dt 1 pt 7 notitle, "cd_dim_10.dat" index 2 using 1:2 with lines lw 2 lc rgb "#CC79A7" dt 4 notitle, "" index 2 every ::0::0 using 1:2 with points ps 1.5 lw 2 lc rgb "#CC79A7" dt 4 pt 11 notitle, "cd_dim_10.dat" index 3 using 1:2 with lines lw 2 lc rgb "#009E73" dt 3 notitle, "" index 3 every ::0::0 using 1:2 with points ps 1.5 lw 2 lc rgb "#009E73" dt 3 pt 9 notitle, "cd_dim_10.dat" index 4 using 1:2 with lines lw 1 lc rgb "black" notitle, "cd_dim_10.dat" index 5 using 1:2 with lines lw 5 lc rgb "black" notitle
    unset output
}
