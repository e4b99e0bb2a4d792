# The mdp figure: mdp on cec2017:function=1,dim=10 (run 0, repetition 1); best-so-far loss and l1_ratio_start, l1_ratio_baseline over evaluations
# Written by optbench report. Re-render in this folder with: gnuplot mdp_run0.gp
reset
do for [ext in "png svg"] {
    if (ext eq "png") {
        set terminal pngcairo noenhanced size 960,900 font "Sans,11"
    } else {
        set terminal svg noenhanced size 960,900 dynamic font "Sans,11" background rgb "white"
    }
    set output "mdp_run0.".ext
    set multiplot layout 3,1 title "mdp on cec2017:function=1,dim=10 (run 0, repetition 1)"
    set grid
    set key off
    set xrange [1:100000]
    set logscale x 10
    set format x "% g"
    set logscale y 10
    set format y "%.0e"
    set title "Best-so-far loss"
    set xlabel ""
    set ylabel "error f - f_opt"
    plot "mdp_run0.dat" index 0 using 1:2 with steps lw 2 lc rgb "#0072B2" dt 1
    unset logscale y
    set format y "% g"
    set title "L1 ratio from the start point x0: |x_t - x0|_1 / |xb - x0|_1"
    set xlabel ""
    set ylabel "l1_ratio_start"
    plot "mdp_run0.dat" index 1 using 1:2 with lines lw 2 lc rgb "#D55E00" dt 1
    unset logscale y
    set format y "% g"
    set title "L1 ratio from the baseline point xb: |x_t - xb|_1 / |xb - x0|_1"
    set xlabel "evaluations"
    set ylabel "l1_ratio_baseline"
    plot "mdp_run0.dat" index 2 using 1:2 with lines lw 2 lc rgb "#009E73" dt 1
    unset multiplot
    unset output
}
