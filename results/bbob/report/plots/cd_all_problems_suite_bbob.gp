# Critical differences, all problems = suite bbob: average ranks over 120 problems (Friedman p = 5.2e-37); bars join optimizers within the Nemenyi CD = 0.428
# Written by optbench report. Re-render in this folder with: gnuplot cd_all_problems_suite_bbob.gp
reset
do for [ext in "png svg"] {
    if (ext eq "png") {
        set terminal pngcairo noenhanced size 930,241 font "Sans,11"
    } else {
        set terminal svg noenhanced size 930,241 dynamic font "Sans,11" background rgb "white"
    }
    set output "cd_all_problems_suite_bbob.".ext
    set title "all problems = suite bbob: 120 problems, Friedman p = 5.2e-37"
    unset key
    unset border
    unset tics
    set lmargin at screen 0
    set rmargin at screen 1
    set bmargin at screen 0
    set tmargin at screen 0.8340248962655602
    set xrange [-1.375:6.375]
    set yrange [2.55:-2.2]
    set label 1 "cmaes:restarts=ipop (1.3)" at 0.64375,1.15 right offset -0.5,0
    set label 2 "mdp (2.36)" at 0.64375,1.95 right offset -0.5,0
    set label 3 "adam:gradient=fd (3.13)" at 4.35625,1.95 left offset 0.5,0
    set label 4 "random_search (3.21)" at 4.35625,1.15 left offset 0.5,0
    set label 5 "1" at 1,-0.55 center
    set label 6 "2" at 2,-0.55 center
    set label 7 "3" at 3,-0.55 center
    set label 8 "4" at 4,-0.55 center
    set label 9 "CD = 0.428" at 1.2140859810455322,-1.9 center
    plot "cd_all_problems_suite_bbob.dat" index 0 using 1:2 with lines lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 0 every ::0::0 using 1:2 with points ps 1.5 lw 2 lc rgb "#D55E00" dt 2 pt 5 notitle, "cd_all_problems_suite_bbob.dat" index 1 using 1:2 with lines lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 1 every ::0::0 using 1:2 with points ps 1.5 lw 2 lc rgb "#0072B2" dt 1 pt 7 notitle, "cd_all_problems_suite_bbob.dat" index 2 using 1:2 with lines lw 2 lc rgb "#CC79A7" dt 4 notitle, "" index 2 every ::0::0 using 1:2 with points ps 1.5 lw 2 lc rgb "#CC79A7" dt 4 pt 11 notitle, "cd_all_problems_suite_bbob.dat" index 3 using 1:2 with lines lw 2 lc rgb "#009E73" dt 3 notitle, "" index 3 every ::0::0 using 1:2 with points ps 1.5 lw 2 lc rgb "#009E73" dt 3 pt 9 notitle, "cd_all_problems_suite_bbob.dat" index 4 using 1:2 with lines lw 1 lc rgb "black" notitle, "cd_all_problems_suite_bbob.dat" index 5 using 1:2 with lines lw 5 lc rgb "black" notitle
    unset output
}
